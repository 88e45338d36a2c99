//! Where provider settings come from: flags, then a `--profile` of the
//! config file, then the clients' own environment variables.
//!
//! The config file (`~/.config/walletbridge/config.toml`, or `--config FILE`):
//!
//! ```toml
//! [profiles.sandbox.gsalary]
//! appid = "gs_sandbox_appid"
//! private_key = "keys/merchant.pem"      # a path (relative to this file) or PEM text
//! platform_public_key = "keys/platform.pem"
//! base_url = "http://127.0.0.1:4010"
//! ```
//!
//! A key `appid` in `[profiles.NAME.gsalary]` stands for `GSALARY_APPID`;
//! variable names themselves (`GSALARY_APPID = "..."`) are accepted too.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::error::{CliError, CliResult};

/// A loaded profile.
#[derive(Debug, Clone)]
pub struct Profile {
    /// Its name.
    pub name: String,
    /// The config file it came from.
    pub file: PathBuf,
    table: toml::Table,
}

/// The default config file: `$XDG_CONFIG_HOME/walletbridge/config.toml` or
/// `~/.config/walletbridge/config.toml`.
pub fn default_config_file() -> Option<PathBuf> {
    if let Some(x) = std::env::var_os("XDG_CONFIG_HOME").filter(|x| !x.is_empty()) {
        return Some(PathBuf::from(x).join("walletbridge/config.toml"));
    }
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(|h| PathBuf::from(h).join(".config/walletbridge/config.toml"))
}

/// Loads `name` from `file` (or the default file).
pub fn load_profile(name: &str, file: Option<&Path>) -> CliResult<Profile> {
    let file = match file {
        Some(f) => f.to_path_buf(),
        None => default_config_file().ok_or_else(|| {
            CliError::usage("--profile needs a config file: pass --config FILE (no HOME is set)")
        })?,
    };
    let text = std::fs::read_to_string(&file).map_err(|e| {
        CliError::usage(format!(
            "cannot read the config file {} for --profile {name}: {e}",
            file.display()
        ))
    })?;
    let doc: toml::Table = text.parse().map_err(|e: toml::de::Error| {
        CliError::usage(format!(
            "the config file {} is not valid TOML: {}",
            file.display(),
            crate::error::one_line(e.message())
        ))
    })?;
    let table = doc
        .get("profiles")
        .and_then(|p| p.get(name))
        .and_then(|p| p.as_table())
        .cloned()
        .ok_or_else(|| {
            let known: Vec<String> = doc
                .get("profiles")
                .and_then(|p| p.as_table())
                .map(|t| t.keys().cloned().collect())
                .unwrap_or_default();
            CliError::usage(format!(
                "no profile `{name}` in {} (a [profiles.{name}.PROVIDER] table); profiles there: {}",
                file.display(),
                if known.is_empty() {
                    "none".to_owned()
                } else {
                    known.join(", ")
                }
            ))
        })?;
    Ok(Profile {
        name: name.to_owned(),
        file,
        table,
    })
}

/// Settings for one provider: flags over profile over environment.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    overrides: HashMap<String, String>,
    /// Where a variable's value came from when not the environment.
    origin: HashMap<String, String>,
    /// `VAR` -> the flag that sets it.
    flags: Vec<(String, String)>,
    /// The profile table, for error hints: `[profiles.NAME.section]`.
    profile_section: Option<String>,
}

impl Settings {
    /// Settings for a provider whose variables start with `prefix`
    /// (`GSALARY_`), read from `[profiles.NAME.section]` when a profile is given.
    pub fn new(profile: Option<&Profile>, section: &str, prefix: &str) -> Self {
        let mut s = Self::default();
        if let Some(p) = profile {
            s.profile_section = Some(format!(
                "[profiles.{}.{section}] of {}",
                p.name,
                p.file.display()
            ));
            if let Some(t) = p.table.get(section).and_then(|t| t.as_table()) {
                let dir = p.file.parent().map(Path::to_path_buf).unwrap_or_default();
                for (k, v) in t {
                    let text = match v {
                        toml::Value::String(s) => s.clone(),
                        toml::Value::Integer(i) => i.to_string(),
                        toml::Value::Boolean(b) => b.to_string(),
                        _ => continue,
                    };
                    let var = if k.starts_with(prefix) {
                        k.clone()
                    } else {
                        format!("{prefix}{}", k.to_ascii_uppercase())
                    };
                    let text = resolve_relative(&var, text, &dir);
                    s.origin.insert(var.clone(), format!("profile {}", p.name));
                    s.overrides.insert(var, text);
                }
            }
        }
        s
    }

    /// A flag's value, when given, overrides the profile and the environment.
    pub fn flag(&mut self, var: &str, flag: &str, value: Option<&str>) -> &mut Self {
        self.flags.push((var.to_owned(), flag.to_owned()));
        if let Some(v) = value {
            self.overrides.insert(var.to_owned(), v.to_owned());
            self.origin.insert(var.to_owned(), flag.to_owned());
        }
        self
    }

    /// Looks a variable up: flag, profile, then the process environment.
    pub fn get(&self, var: &str) -> Option<String> {
        self.overrides
            .get(var)
            .cloned()
            .or_else(|| std::env::var(var).ok())
    }

    /// A lookup function for the clients' `from_lookup`.
    pub fn lookup(&self) -> impl Fn(&str) -> Option<String> + '_ {
        move |name| self.get(name)
    }

    /// Adds to a configuration error how to set the variable it names.
    pub fn explain(&self, e: impl Into<CliError>) -> CliError {
        let mut e: CliError = e.into();
        if e.code != crate::error::USAGE {
            return e;
        }
        // The longest variable name that the message mentions.
        let mut named: Vec<&(String, String)> = self
            .flags
            .iter()
            .filter(|(var, _)| e.message.contains(var.as_str()))
            .collect();
        named.sort_by_key(|(var, _)| std::cmp::Reverse(var.len()));
        if let Some((var, flag)) = named.first() {
            let source = match self.origin.get(var) {
                Some(o) => format!(" (the value came from {o})"),
                None => String::new(),
            };
            let mut how = if flag.starts_with("--") {
                format!("set {var} or pass {flag}")
            } else {
                format!("set {var} (a secret: no flag)")
            };
            if let Some(section) = &self.profile_section {
                how.push_str(&format!(", or add it to {section}"));
            } else {
                how.push_str(", or use --profile NAME");
            }
            e.message = format!("{}{source}; {how}", e.message);
        }
        e
    }
}

/// A key path in a profile is relative to the config file.
fn resolve_relative(var: &str, value: String, dir: &Path) -> String {
    let is_key = var.ends_with("PRIVATE_KEY") || var.ends_with("PUBLIC_KEY");
    if !is_key || value.contains("-----") || Path::new(&value).is_absolute() {
        return value;
    }
    let candidate = dir.join(&value);
    if candidate.is_file() {
        candidate.display().to_string()
    } else {
        value
    }
}
