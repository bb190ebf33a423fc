//! Deflates the spelling dictionaries into the build's output folder: the binary carries them
//! packed, and a dictionary's source text lives on the heap only while it is parsed, instead
//! of staying resident in the binary's pages for the whole shift.

use std::{env, fs, path::PathBuf};

const DICTIONARIES: [&str; 4] = ["en_US.aff", "en_US.dic", "fr_FR.aff", "fr_FR.dic"];

fn main() {
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let folder = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets it"))
        .join("../../assets/dictionaries");
    for name in DICTIONARIES {
        let source = folder.join(name);
        println!("cargo:rerun-if-changed={}", source.display());
        let text =
            fs::read(&source).unwrap_or_else(|e| panic!("dictionary {}: {e}", source.display()));
        let packed = miniz_oxide::deflate::compress_to_vec(&text, 6);
        let target = out.join(format!("{name}.deflate"));
        fs::write(&target, packed).unwrap_or_else(|e| panic!("{}: {e}", target.display()));
    }
}
