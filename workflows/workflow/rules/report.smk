# The self-contained HTML report from the shareable tables.


rule report:
    input:
        cohort=f"{OUT}/cohort.parquet",
        join_report=f"{OUT}/join_report.json",
        rates=f"{OUT}/subgroup_rates.parquet",
        effects=f"{OUT}/subgroup_effects.parquet",
    output:
        report=f"{OUT}/report.html",
    params:
        tailor=TAILOR,
        folder=folder,
    conda:
        "../envs/tailor.yaml"
    threads: 1
    resources:
        mem_mb=resources("report", "mem_mb", 2000),
        runtime=resources("report", "runtime", 30),
    log:
        f"{LOGS}/report.log",
    shell:
        "{params.tailor} report -o {output.report} {params.folder} 2> {log}"
