//! The `detente` command. Everything it does is in the library: the
//! command line lives in the library's private `cli` module, so that it
//! can use the library's internals while the public API stays small. The
//! binary only hands over to it.

fn main() -> std::process::ExitCode {
    detente::run_command_line()
}
