//! Every column of every table is documented in schemas/README.md
//! (regenerate it with `python3 schemas/tools/gen_readme.py > schemas/README.md`).

use tailor_schemas::{calls, cohort, copy_number, genotypes, subgroup_effects, subgroup_rates};

fn assert_documented(table: &str, names: Vec<String>) {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("schemas/README.md");
    let section = readme
        .split("\n## ")
        .find(|s| s.starts_with(&format!("{table}\n")))
        .unwrap_or_else(|| panic!("no section for {table} in schemas/README.md"));
    for name in names {
        assert!(
            section.contains(&format!("`{name}`")),
            "column {name} of {table} is not documented in schemas/README.md; regenerate it"
        );
    }
}

fn names(schema: &arrow_schema::Schema) -> Vec<String> {
    schema.fields().iter().map(|f| f.name().clone()).collect()
}

#[test]
fn every_column_is_documented() {
    assert_documented("genotypes", names(&genotypes::schema()));
    assert_documented("calls", names(&calls::schema()));
    assert_documented("copy_number", names(&copy_number::schema()));
    assert_documented("subgroup_rates", names(&subgroup_rates::schema()));
    assert_documented("subgroup_effects", names(&subgroup_effects::schema()));
    let fixed = cohort::fixed_fields()
        .iter()
        .map(|f| f.name().clone())
        .collect();
    assert_documented("cohort", fixed);
}

#[test]
fn readme_is_up_to_date_with_the_generator() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let Ok(output) = std::process::Command::new("python3")
        .arg("schemas/tools/gen_readme.py")
        .current_dir(root)
        .output()
    else {
        assert!(
            std::env::var("TAILOR_REQUIRE_ALL").as_deref() != Ok("1"),
            "required by TAILOR_REQUIRE_ALL=1 but missing: python3"
        );
        eprintln!("skipped: python3 not found");
        if let Some(log) = std::env::var_os("TAILOR_SKIP_LOG") {
            use std::io::Write;
            if let Ok(mut file) = std::fs::OpenOptions::new()
                .append(true)
                .create(true)
                .open(log)
            {
                let _ = writeln!(file, "python3 not found (schemas README check)");
            }
        }
        return;
    };
    assert!(output.status.success());
    let readme = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README");
    assert!(
        readme == output.stdout,
        "schemas/README.md is stale: python3 schemas/tools/gen_readme.py > schemas/README.md"
    );
}
