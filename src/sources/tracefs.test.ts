import { expect, test } from "bun:test";
import { parseFormat } from "./tracefs";

const RAW_SYSCALLS_SYS_ENTER = `name: sys_enter
ID: 23
format:
\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;
\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;
\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;
\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;

\tfield:long id;\toffset:8;\tsize:8;\tsigned:1;
\tfield:unsigned long args[6];\toffset:16;\tsize:48;\tsigned:0;
\tfield:__data_loc char[] name;\toffset:64;\tsize:4;\tsigned:0;
\tfield:const char * filename;\toffset:72;\tsize:8;\tsigned:0;
\tfield:char comm[16];\toffset:80;\tsize:16;\tsigned:0;

print fmt: "NR %ld (%lx, %lx, %lx, %lx, %lx, %lx)", REC->id, ...
`;

test("a format file's fields, common ones left out, each with how gms reads it", () => {
  const f = parseFormat("raw_syscalls", "sys_enter", RAW_SYSCALLS_SYS_ENTER);
  expect(f.fields.map((x) => [x.name, x.type, x.offset, x.size, x.signed, x.kind])).toEqual([
    ["id", "long", 8, 8, true, "int"],
    ["args", "unsigned long[6]", 16, 48, false, "int-array"],
    ["name", "__data_loc char[]", 64, 4, false, "data-loc-string"],
    ["filename", "const char *", 72, 8, false, "user-string"],
    ["comm", "char[16]", 80, 16, false, "chars"],
  ]);
  expect(f.size).toBe(96);
});
