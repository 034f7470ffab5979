// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use scopepact_app::Invocation;

fn main() -> std::process::ExitCode {
    scopepact_app::prefer_light_rendering();
    let invocation = match scopepact_app::parse_arguments(std::env::args().skip(1)) {
        Ok(invocation) => invocation,
        Err(message) => return fail(&message),
    };
    match invocation {
        Invocation::Version => {
            println!("scopepact-app {}", env!("CARGO_PKG_VERSION"));
            std::process::ExitCode::SUCCESS
        }
        Invocation::Help => {
            println!("{}", scopepact_app::USAGE);
            std::process::ExitCode::SUCCESS
        }
        Invocation::Run { data_dir } => match scopepact_app::run(data_dir) {
            Ok(()) => std::process::ExitCode::SUCCESS,
            Err(message) => fail(&message),
        },
    }
}

fn fail(message: &str) -> std::process::ExitCode {
    eprintln!("error: {message}");
    std::process::ExitCode::FAILURE
}
