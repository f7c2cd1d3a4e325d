//! The manual page, one page for the whole command line.
//!
//! clap_mangen's `Man::render` writes a page per command and points at
//! `detente-show(1)` and the like, pages that `detente man` never writes;
//! and its top page has no command's own options, so `--format` (which
//! differs by command) would appear nowhere. Here the top page's sections
//! are followed by a COMMANDS section with a subsection per command: its
//! description, synopsis and own options, rendered by clap_mangen.

use std::io;

use clap_mangen::Man;
use roff::{roman, Roff};

/// The roff source of `detente.1`.
pub(crate) fn page(mut cmd: clap::Command) -> io::Result<Vec<u8>> {
    // Building propagates the global options into every subcommand, and
    // gives each its full name (`detente diagram lineage`).
    cmd.build();
    let man = Man::new(cmd.clone());
    let mut out = Vec::new();
    man.render_title(&mut out)?;
    out.extend(section(|w| man.render_name_section(w))?);
    out.extend(section(|w| man.render_synopsis_section(w))?);
    out.extend(section(|w| man.render_description_section(w))?);
    out.extend(section(|w| man.render_options_section(w))?);
    let mut heading = Roff::new();
    heading.control("SH", ["COMMANDS"]);
    heading.text([roman(
        "Every command also takes the options above. Run `detente COMMAND --help` for the same text.",
    )]);
    out.extend(section(|w| heading.to_writer(w))?);
    commands(&cmd, &mut out)?;
    out.extend(section(|w| man.render_version_section(w))?);
    Ok(out)
}

/// A subsection for each command under `parent`, then for its own
/// commands (`diagram`'s views), depth first in the order of `--help`.
fn commands(parent: &clap::Command, out: &mut Vec<u8>) -> io::Result<()> {
    for sub in parent
        .get_subcommands()
        .filter(|s| !s.is_hide_set() && s.get_name() != "help")
    {
        let own = own_options(parent, sub);
        let name = sub.get_bin_name().unwrap_or(sub.get_name()).to_string();
        let mut head = Roff::new();
        head.control("SS", [name.as_str()]);
        if let Some(about) = sub.get_long_about().or(sub.get_about()) {
            head.text([roman(about.to_string())]);
        }
        out.extend(section(|w| head.to_writer(w))?);
        let man = Man::new(own);
        out.extend(subsection(section(|w| man.render_synopsis_section(w))?));
        out.extend(subsection(section(|w| man.render_options_section(w))?));
        commands(sub, out)?;
    }
    Ok(())
}

/// `sub` without what it inherits from `parent` (global options, shown
/// once where they are declared) and without `-h`, which every command has.
fn own_options(parent: &clap::Command, sub: &clap::Command) -> clap::Command {
    let inherited: Vec<String> = sub
        .get_arguments()
        .filter(|a| {
            a.get_id() == "help"
                || (a.is_global_set() && parent.get_arguments().any(|p| p.get_id() == a.get_id()))
        })
        .map(|a| a.get_id().to_string())
        .collect();
    inherited
        .iter()
        .fold(sub.clone(), |c, id| c.mut_arg(id, |a| a.hide(true)))
}

/// The roff of one section, without the preamble every `render_*` call
/// writes (the title already wrote it once).
fn section(render: impl FnOnce(&mut Vec<u8>) -> io::Result<()>) -> io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    render(&mut buf)?;
    let preamble = Roff::new().render();
    Ok(match buf.strip_prefix(preamble.as_bytes()) {
        Some(rest) => rest.to_vec(),
        None => buf,
    })
}

/// A section's body under a command's subsection: its `.SH` heading
/// (SYNOPSIS, OPTIONS) dropped, so the content belongs to the command.
fn subsection(roff: Vec<u8>) -> Vec<u8> {
    let text = String::from_utf8_lossy(&roff);
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        if line.starts_with(".SH ") {
            out.push_str(".PP\n");
        } else {
            out.push_str(line);
        }
    }
    out.into_bytes()
}
