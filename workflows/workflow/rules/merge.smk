# Gather: shards 1..N -> the genotypes and calls tables one unsharded run
# writes (byte-identical), sealed as `tailor run` seals them (the
# identified folder 0700, its tables 0600, when pseudonymising).


rule merge:
    input:
        genotypes=expand(f"{SHARD_DIR}/{{k}}/genotypes.parquet", k=range(1, SHARDS + 1)),
        calls=expand(f"{SHARD_DIR}/{{k}}/calls.parquet", k=range(1, SHARDS + 1)),
    output:
        genotypes=f"{IDENTIFIED}/genotypes.parquet",
        calls=f"{IDENTIFIED}/calls.parquet",
    params:
        tailor=TAILOR,
        folder=folder,
        shards=lambda wildcards, input: " ".join(os.path.dirname(f) for f in input.calls),
        seal=seal,
    conda:
        "../envs/tailor.yaml"
    threads: 1
    resources:
        mem_mb=resources("merge", "mem_mb", 2000),
        runtime=resources("merge", "runtime", 60),
    log:
        f"{LOGS}/merge.log",
    shell:
        "{params.tailor} merge -o {params.folder} {params.shards} 2> {log} && {params.seal}"
