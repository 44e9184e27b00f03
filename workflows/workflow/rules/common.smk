# The tailor.toml the run is configured by, read once: every path below is
# built as `tailor run` builds it (relative to the TOML's folder), so the
# tables name their inputs exactly as `tailor run`'s do.

import os
import shlex
import tomllib

from snakemake.exceptions import WorkflowError


TAILOR = config.get("tailor", "tailor")
SHARDS = int(config["shards"])
TOML = config["tailor_toml"]
BASE = os.path.dirname(TOML)

if not os.path.isfile(TOML):
    raise WorkflowError(
        f"{TOML}: no such tailor.toml; run `tailor demo` (it writes "
        "tailor-demo/tailor.toml) or set tailor_toml in the config "
        "(--config tailor_toml=path/to/tailor.toml)"
    )
with open(TOML, "rb") as handle:
    SETTINGS = tomllib.load(handle)

RUN = SETTINGS.get("run", {})
INGEST = SETTINGS.get("ingest", {})
CALL = SETTINGS.get("call", {})


def in_base(path):
    """A path of tailor.toml, resolved against the TOML's folder."""
    return os.path.join(BASE, path)


OUT = config.get("output") or in_base(RUN.get("output", "out"))
PSEUDONYMISE = RUN.get("pseudonymise", False) or SETTINGS.get("join", {}).get(
    "pseudonymise", False
)
if PSEUDONYMISE:
    IDENTIFIED = in_base(RUN["identified"]) if "identified" in RUN else f"{OUT}.identified"
else:
    IDENTIFIED = OUT
LOGS = config.get("logs", f"{OUT}.logs")
SHARD_DIR = f"{IDENTIFIED}/shards"


def flag(switch, name):
    return [name] if switch else []


def option(value, name, resolve=True):
    if value is None:
        return []
    return [name, in_base(value) if resolve else str(value)]


def common_args():
    """Flags ingest and call share: definitions, genes, sex."""
    return (
        option(RUN.get("definitions"), "--definitions")
        + (["--genes", ",".join(RUN["genes"])] if RUN.get("genes") else [])
        + option(RUN.get("sex"), "--sex")
    )


def ingest_args():
    """`tailor ingest`'s flags and inputs, as `tailor run` passes them."""
    args = common_args()
    args += flag(INGEST.get("absent_as_reference"), "--absent-as-reference")
    args += option(INGEST.get("covered"), "--covered")
    args += flag(INGEST.get("pass_only"), "--pass-only")
    args += flag(INGEST.get("hash_inputs"), "--hash-inputs")
    args += [in_base(p) for p in RUN.get("inputs", [])]
    if RUN.get("bam"):
        args += ["--bam"] + [in_base(p) for p in RUN["bam"]]
    args += option(RUN.get("samplesheet"), "--samplesheet")
    args += option(RUN.get("reference"), "--reference")
    for key, name in [
        ("min_mapping_quality", "--min-mapping-quality"),
        ("min_base_quality", "--min-base-quality"),
        ("min_depth", "--min-depth"),
    ]:
        args += option(INGEST.get(key), name, resolve=False)
    return args


def call_args():
    """`tailor call`'s flags, as `tailor run` passes them."""
    args = common_args()
    args += flag(CALL.get("combinations"), "--combinations")
    args += flag(CALL.get("all_matches"), "--all-matches")
    args += flag(CALL.get("cyp2d6_phenotype_from_snvs"), "--cyp2d6-phenotype-from-snvs")
    args += option(CALL.get("outside_calls"), "--outside-calls")
    return args


def quoted(args):
    """Arguments for a shell command line."""
    return " ".join(shlex.quote(str(a)) for a in args)


def genomic_inputs():
    """Every input file of ingest (so a changed VCF reruns the shards)."""
    files = [in_base(p) for p in RUN.get("inputs", []) + RUN.get("bam", [])]
    if RUN.get("samplesheet"):
        files.append(in_base(RUN["samplesheet"]))
    return files


def resources(rule_name, key, default):
    """A rule's resource from config.yaml's `resources`, else `default`."""
    return config.get("resources", {}).get(rule_name, {}).get(key, default)


def threads(rule_name):
    """A rule's threads from config.yaml's `threads`, else 1."""
    return int(config.get("threads", {}).get(rule_name, 1))


def folder(wildcards, output):
    """The folder of a rule's first output, which tailor's -o names."""
    return os.path.dirname(output[0])


def seal(wildcards, output):
    """The shell step that seals the identified tables as `tailor run` does
    (folder 0700, tables 0600) when pseudonymising; else nothing."""
    if not PSEUDONYMISE:
        return "true"
    tables = " ".join(shlex.quote(f) for f in output)
    return f"chmod 700 {shlex.quote(os.path.dirname(output[0]))} && chmod 600 {tables}"
