# explain: the sampler configuration a statement compiles to, without running it.
explain sample 1% from map events weighted by qps
explain sample 20 from map events weighted by 100 * (1 - errors / calls) * log2(qps + 1) where comm != "gms" seed 7
explain from map events where qps > 100 order by qps desc limit 10
explain estimate sum(qps), count() from map events where comm == "nginx" using sample 1%
