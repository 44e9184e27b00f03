# Subgroup x therapy effects from the pseudonymised cohort.


rule estimate:
    input:
        cohort=f"{OUT}/cohort.parquet",
        config=TOML,
    output:
        rates=f"{OUT}/subgroup_rates.parquet",
        effects=f"{OUT}/subgroup_effects.parquet",
    params:
        tailor=TAILOR,
        folder=folder,
    conda:
        "../envs/tailor.yaml"
    threads: threads("estimate")
    resources:
        mem_mb=resources("estimate", "mem_mb", 4000),
        runtime=resources("estimate", "runtime", 60),
    log:
        f"{LOGS}/estimate.log",
    shell:
        "{params.tailor} estimate --threads {threads} -o {params.folder} --config {input.config} "
        "{input.cohort} 2> {log}"
