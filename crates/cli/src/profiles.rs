//! The profiles of this device.

use clap::{Subcommand, ValueEnum};
use scopepact_scope::interchange::Role;
use scopepact_workspace::WorkspaceError;

use crate::output::{print, role_label};
use crate::Session;

#[derive(Subcommand)]
pub enum Commands {
    /// The people who use this device.
    Profile {
        #[command(subcommand)]
        command: ProfileCommand,
    },
}

pub fn run(cx: &Session, command: Commands) -> Result<(), WorkspaceError> {
    match command {
        Commands::Profile {
            command: ProfileCommand::Add { name, email, role },
        } => {
            let role = match role {
                ProfileRole::Commercial => Role::Commercial,
                ProfileRole::Operational => Role::Operational,
                ProfileRole::Executive => Role::Executive,
            };
            let profile = cx.open()?.add_profile(&name, &email, role)?;
            print(&format!("{}\n", profile.id))
        }
        Commands::Profile {
            command: ProfileCommand::List { json },
        } => {
            let ws = cx.open()?;
            let acting = ws.acting_profile()?.map(|p| p.id);
            let profiles = ws.profiles()?;
            if json {
                return print(&format!(
                    "{}\n",
                    serde_json::to_string_pretty(&profiles).unwrap_or_default()
                ));
            }
            let mut out = String::new();
            for p in &profiles {
                let mark = if Some(&p.id) == acting.as_ref() {
                    "*"
                } else {
                    " "
                };
                out.push_str(&format!(
                    "{mark} {:<12} {}  <{}>\n",
                    role_label(p.role),
                    p.name,
                    p.email
                ));
            }
            print(&out)
        }
    }
}

#[derive(Subcommand)]
pub(crate) enum ProfileCommand {
    /// Add a profile; the first one becomes the current one.
    Add {
        #[arg(long)]
        name: String,
        #[arg(long)]
        email: String,
        #[arg(long, value_enum)]
        role: ProfileRole,
    },
    /// List the profiles of this device; `*` marks the one acting.
    List {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum ProfileRole {
    Commercial,
    Operational,
    Executive,
}
