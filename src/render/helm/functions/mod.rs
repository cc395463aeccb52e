//! The functions Helm templates call: the Sprig v3 set as Helm ships it, and
//! Helm's own (`toYaml`, `fromYaml`, `toJson`, …). The template engine
//! provides the few that need it (`include`, `tpl`, `required`, `fail`,
//! `lookup`, and Go's builtins); everything here is a plain function of its
//! arguments and of [`Env`].

use std::cell::Cell;

use super::value::Value;

mod aes;
mod arguments;
mod dates;
mod dicts;
mod encoding;
mod flow;
mod json;
mod lists;
mod math;
mod network;
mod password;
mod paths;
mod random;
mod regex;
mod semver;
mod strings;
mod toml;
mod yaml;

pub use dicts::takes_map_at;
pub use regex::CompiledRegexes;
#[cfg(test)]
mod tests;

/// What functions may read besides their arguments. Vigie never reads the
/// clock or the system's randomness: `now` is fixed and the generators
/// (`randAlphaNum`, `uuidv4`, `genCA`, …) draw from a seeded sequence, so
/// renders are reproducible.
pub struct Env {
    /// Unix seconds `now` returns.
    pub now: i64,
    /// State of the deterministic generator.
    pub seed: Cell<u64>,
    /// Regular expressions compiled so far.
    pub regexes: CompiledRegexes,
}

impl Default for Env {
    fn default() -> Self {
        Env {
            // 2000-01-01T00:00:00Z: obviously not a real time.
            now: 946_684_800,
            seed: Cell::new(0x5eed_1e5e_ed5e_ed01),
            regexes: CompiledRegexes::default(),
        }
    }
}

/// A function: its arguments already evaluated; an error is the text Go's
/// template engine would show after `error calling NAME: `.
pub type Function = fn(&Env, &[Value]) -> Result<Value, String>;

/// A function Helm templates can call.
pub struct FunctionDef {
    pub name: &'static str,
    pub function: Function,
    /// Its result differs from helm's on purpose (random or crypto
    /// generators): the fields it produces are marked as generated.
    pub generated: bool,
}

/// Every function of this module.
pub fn all() -> Vec<FunctionDef> {
    let families: &[&[FunctionDef]] = &[
        strings::FUNCTIONS,
        math::FUNCTIONS,
        flow::FUNCTIONS,
        lists::FUNCTIONS,
        dicts::FUNCTIONS,
        json::FUNCTIONS,
        encoding::FUNCTIONS,
        semver::FUNCTIONS,
        regex::FUNCTIONS,
        paths::FUNCTIONS,
        network::FUNCTIONS,
        random::FUNCTIONS,
        dates::FUNCTIONS,
        toml::FUNCTIONS,
        password::FUNCTIONS,
        aes::FUNCTIONS,
    ];
    families
        .iter()
        .flat_map(|family| family.iter())
        .map(|def| FunctionDef {
            name: def.name,
            function: def.function,
            generated: def.generated,
        })
        .collect()
}

/// Whether an error a function returned is one Go's template engine reports
/// before calling it (a wrong argument count or type), which it prints
/// without the `error calling NAME: ` prefix.
pub fn is_argument_error(message: &str) -> bool {
    message.starts_with("wrong number of args for ")
        || message.starts_with("wrong type for value; ")
}
