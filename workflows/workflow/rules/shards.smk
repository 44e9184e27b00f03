# Scatter: ingest and call each shard K of N (samples in input order, the
# K-th block of ceil(n/N)); the shard tables hold raw sample ids, so they
# live in the identified folder.


rule ingest_shard:
    input:
        genomic_inputs(),
    output:
        f"{SHARD_DIR}/{{k}}/genotypes.parquet",
    params:
        tailor=TAILOR,
        shards=SHARDS,
        args=quoted(ingest_args()),
        folder=folder,
    conda:
        "../envs/tailor.yaml"
    threads: threads("ingest_shard")
    resources:
        mem_mb=resources("ingest_shard", "mem_mb", 4000),
        runtime=resources("ingest_shard", "runtime", 120),
    log:
        f"{LOGS}/ingest_shard/{{k}}.log",
    shell:
        "{params.tailor} ingest --threads {threads} --shard {wildcards.k}/{params.shards} "
        "-o {params.folder} {params.args} 2> {log}"


rule call_shard:
    input:
        f"{SHARD_DIR}/{{k}}/genotypes.parquet",
    output:
        f"{SHARD_DIR}/{{k}}/calls.parquet",
    params:
        tailor=TAILOR,
        args=quoted(call_args()),
        folder=folder,
    conda:
        "../envs/tailor.yaml"
    threads: threads("call_shard")
    resources:
        mem_mb=resources("call_shard", "mem_mb", 4000),
        runtime=resources("call_shard", "runtime", 60),
    log:
        f"{LOGS}/call_shard/{{k}}.log",
    shell:
        "{params.tailor} call --threads {threads} -o {params.folder} {params.args} {input} 2> {log}"
