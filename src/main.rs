//! The `detente` command. Everything it does is in the library; the binary
//! parses arguments, prints, and chooses the exit code.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
