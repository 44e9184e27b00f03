# The calls joined to the clinical tables (pseudonymised when tailor.toml
# says so): the first shareable table.


rule join:
    input:
        calls=f"{IDENTIFIED}/calls.parquet",
        clinical=[in_base(p) for p in RUN.get("clinical", [])],
        config=TOML,
    output:
        cohort=f"{OUT}/cohort.parquet",
        report=f"{OUT}/join_report.json",
    params:
        tailor=TAILOR,
        folder=folder,
        pseudonymise="--pseudonymise" if RUN.get("pseudonymise") else "",
    conda:
        "../envs/tailor.yaml"
    threads: threads("join")
    resources:
        mem_mb=resources("join", "mem_mb", 4000),
        runtime=resources("join", "runtime", 60),
    log:
        f"{LOGS}/join.log",
    shell:
        "{params.tailor} join --threads {threads} -o {params.folder} --config {input.config} "
        "{params.pseudonymise} {input.calls} {input.clinical} 2> {log}"
