//! The `--help` of every command and subcommand against its golden file in
//! `tests/data/help/`, so that a change to the interface shows in review.
//! Commands are found by walking the help itself: a new subcommand without
//! a golden file fails, and so does a golden file of no command.

use std::collections::BTreeSet;
use std::path::PathBuf;

use crate::support::*;

const UPDATE: &str = "MOVEWORKS_UPDATE_HELP";

fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/help")
}

/// The subcommands a help text lists under `Commands:`.
fn subcommands(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|line| *line != "Commands:")
        .skip(1)
        .take_while(|line| line.starts_with("  "))
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_owned)
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn every_help_matches_its_golden_file() {
    let update = std::env::var_os(UPDATE).is_some();
    let dir = golden_dir();
    std::fs::create_dir_all(&dir).unwrap();
    let mut pending = vec![Vec::<String>::new()];
    let mut seen = BTreeSet::new();
    let mut mismatches = Vec::new();
    while let Some(path) = pending.pop() {
        let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
        args.push("--help");
        let out = Moveworks::new(&args).run().await;
        assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
        for name in subcommands(&out.stdout) {
            let mut child = path.clone();
            child.push(name);
            pending.push(child);
        }
        let name = std::iter::once("moveworks")
            .chain(path.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join("-");
        let file = dir.join(format!("{name}.stdout"));
        seen.insert(file.file_name().unwrap().to_owned());
        if update {
            std::fs::write(&file, &out.stdout).unwrap();
            continue;
        }
        let golden = std::fs::read_to_string(&file).unwrap_or_default();
        if golden != out.stdout {
            mismatches.push(format!(
                "`moveworks {}` differs from {}:\n{}",
                args.join(" "),
                file.display(),
                out.stdout
            ));
        }
    }
    let stale: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name())
        .filter(|name| !seen.contains(name))
        .collect();
    if update {
        for name in &stale {
            std::fs::remove_file(dir.join(name)).unwrap();
        }
        return;
    }
    assert!(
        mismatches.is_empty() && stale.is_empty(),
        "{}\n{}\nstale golden files: {stale:?}\n\nIf the change is intended, rewrite them with:\n  \
         {UPDATE}=1 cargo test -p moveworks-cli --test cli help\nand review the diff.",
        mismatches.len(),
        mismatches.join("\n\n")
    );
    assert!(seen.len() >= 14, "only {} commands found", seen.len());
}
