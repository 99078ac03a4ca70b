fn main() -> std::process::ExitCode {
    deploylint::cli::run()
}
