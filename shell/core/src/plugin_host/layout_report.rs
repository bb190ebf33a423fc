//! abi_stable's layout report, said in one line: which type differs, where it sits in the
//! contract (the path of fields from the plugin's root module), and how (field count, size,
//! alignment, package, a field or variant that is not ours), as "the plugin has X, this shell
//! has Y". The whole report stays in the log at debug level.

use switchboard_sdk::abi_stable::{
    abi_stability::abi_checking::{AbiInstability, AbiInstabilityErrors, ExpectedFound},
    type_layout::{TLFieldOrFunction, TypeLayout},
};

/// Which side of the check was the plugin's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PluginSide {
    /// The plugin's layout was checked as the one expected (an older plugin).
    Expected,
    /// The plugin's layout was checked as the one found (same or newer minor).
    Found,
}

/// The first difference of the report, in one line.
pub(super) fn one_line(errors: &AbiInstabilityErrors, plugin: PluginSide) -> String {
    let Some(error) = errors.errors.iter().find(|e| !e.errs.is_empty()) else {
        return "types differ".to_owned();
    };
    // Wrappers' unnamed fields (`0`) say nothing to people: the named steps make the path.
    let path: Vec<&str> = error
        .stack_trace
        .iter()
        .map(|step| match &step.found {
            TLFieldOrFunction::Field(field) => field.name(),
            TLFieldOrFunction::Function(function) => function.name.as_str(),
        })
        .filter(|name| !name.is_empty() && !name.bytes().all(|b| b.is_ascii_digit()))
        .collect();
    // abi_stable stops at the outermost type whose size differs; follow the fields whose sizes
    // differ down to the type that changed itself.
    let mut path: Vec<&str> = path;
    let (type_name, mut differences) = match error
        .stack_trace
        .last()
        .map(|step| (&step.expected, &step.found))
    {
        Some((TLFieldOrFunction::Field(expected), TLFieldOrFunction::Field(found))) => {
            let (expected, found) = narrow(expected.layout(), found.layout(), &mut path);
            (found.name(), changed_type(expected, found, plugin))
        }
        _ => (errors.implementation.name(), Vec::new()),
    };
    if differences.is_empty() {
        differences = error
            .errs
            .iter()
            .filter_map(|difference| describe(difference, plugin))
            .take(3)
            .collect();
    }
    let place = readable_path(&path);
    let place = if place.is_empty() {
        String::new()
    } else {
        format!(" (at {place})")
    };
    let how = if differences.is_empty() {
        "its layout differs".to_owned()
    } else {
        differences.join(", ")
    };
    format!("type {type_name}{place}: {how}")
}

/// The path of fields people can follow (`create.view.header`): abi_stable's own steps (a
/// function's `__returns`, a wrapper's `field_0`, a trait object's `obj` and `vtable`) left out,
/// and a method named twice (as vtable field and as function) said once.
fn readable_path(path: &[&str]) -> String {
    let mut steps: Vec<&str> = Vec::new();
    for step in path {
        let internal = matches!(*step, "__returns" | "obj" | "vtable" | "_marker")
            || step.starts_with("field_")
            || step.bytes().all(|b| b.is_ascii_digit());
        if !internal && steps.last() != Some(step) {
            steps.push(step);
        }
    }
    steps.join(".")
}

/// From a pair of layouts of different sizes, the innermost pair that differs: down through
/// the fields of the same name whose sizes differ, stopping at a type whose field count
/// changed (or whose fields all keep their sizes).
fn narrow(
    mut expected: &'static TypeLayout,
    mut found: &'static TypeLayout,
    path: &mut Vec<&'static str>,
) -> (&'static TypeLayout, &'static TypeLayout) {
    for _ in 0..32 {
        let (Some(expected_fields), Some(found_fields)) =
            (expected.get_fields(), found.get_fields())
        else {
            break;
        };
        if expected_fields.len() != found_fields.len() {
            break;
        }
        let differing = expected_fields
            .iter()
            .zip(found_fields.iter())
            .find(|(e, f)| e.layout().size() != f.layout().size());
        let Some((expected_field, found_field)) = differing else {
            break;
        };
        if !expected_field.name().bytes().all(|b| b.is_ascii_digit()) {
            path.push(expected_field.name());
        }
        expected = expected_field.layout();
        found = found_field.layout();
    }
    (expected, found)
}

/// How one type differs: its field count and its size.
fn changed_type(
    expected: &'static TypeLayout,
    found: &'static TypeLayout,
    plugin: PluginSide,
) -> Vec<String> {
    let pair = |e: usize, f: usize| ExpectedFound {
        expected: e,
        found: f,
    };
    let mut differences = Vec::new();
    let count = |layout: &TypeLayout| layout.get_fields().map_or(0, |fields| fields.len());
    if count(expected) != count(found) {
        let counts = pair(count(expected), count(found));
        let (theirs, ours) = theirs_and_ours(&counts, plugin);
        differences.push(format!(
            "{theirs} fields in the plugin, {ours} in this shell"
        ));
    }
    if expected.size() != found.size() {
        let sizes = pair(expected.size(), found.size());
        let (theirs, ours) = theirs_and_ours(&sizes, plugin);
        differences.push(format!(
            "size {theirs} bytes in the plugin, {ours} in this shell"
        ));
    }
    differences
}

/// "the plugin's has X, this shell's Y", from an expected/found pair.
fn theirs_and_ours<T>(pair: &ExpectedFound<T>, plugin: PluginSide) -> (&T, &T) {
    match plugin {
        PluginSide::Expected => (&pair.expected, &pair.found),
        PluginSide::Found => (&pair.found, &pair.expected),
    }
}

fn describe(difference: &AbiInstability, plugin: PluginSide) -> Option<String> {
    Some(match difference {
        AbiInstability::FieldCountMismatch(pair) => {
            let (theirs, ours) = theirs_and_ours(pair, plugin);
            format!("{theirs} fields in the plugin, {ours} in this shell")
        }
        AbiInstability::Size(pair) => {
            let (theirs, ours) = theirs_and_ours(pair, plugin);
            format!("size {theirs} bytes in the plugin, {ours} in this shell")
        }
        AbiInstability::Alignment(pair) => {
            let (theirs, ours) = theirs_and_ours(pair, plugin);
            format!("alignment {theirs} in the plugin, {ours} in this shell")
        }
        AbiInstability::Package(pair) => {
            let (theirs, ours) = theirs_and_ours(pair, plugin);
            format!("from package {theirs} in the plugin, {ours} in this shell")
        }
        AbiInstability::UnexpectedField(pair) => {
            let (theirs, ours) = theirs_and_ours(pair, plugin);
            format!(
                "field {} in the plugin where this shell has {}",
                theirs.name(),
                ours.name()
            )
        }
        AbiInstability::TooManyVariants(pair) => {
            let (theirs, ours) = theirs_and_ours(pair, plugin);
            format!("{theirs} variants in the plugin, {ours} in this shell")
        }
        AbiInstability::UnexpectedVariant(pair) => {
            let (theirs, ours) = theirs_and_ours(pair, plugin);
            format!("variant {theirs} in the plugin where this shell has {ours}")
        }
        AbiInstability::Name(pair) => {
            let (theirs, ours) = theirs_and_ours(pair, plugin);
            format!("named {theirs} in the plugin, {ours} in this shell")
        }
        AbiInstability::MismatchedPrefixSize(pair) => {
            let (theirs, ours) = theirs_and_ours(pair, plugin);
            format!("{theirs} fixed fields in the plugin, {ours} in this shell")
        }
        _ => return None,
    })
}
