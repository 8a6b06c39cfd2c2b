// BPF objects are imported as files, so `bun build --compile` embeds them in the executable.
declare module "*.bpf.o" {
  const path: string;
  export default path;
}
