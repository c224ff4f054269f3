//! Parties with their contacts, and the tiers that join them.

use super::{CheckError, Checker};

impl<'a> Checker<'a> {
    pub(super) fn parties_and_tiers(&mut self) {
        let parties: Vec<_> = self.symbols.parties.iter().map(|(_, p)| p).collect();
        for party in parties {
            if party.contacts.is_empty() {
                self.report(CheckError::MissingContact {
                    party: party.name.node.clone(),
                    span: party.name.span.into(),
                });
            }
            for contact in &party.contacts {
                if !is_email(&contact.email.node) {
                    self.report(CheckError::InvalidEmail {
                        email: contact.email.node.clone(),
                        span: contact.email.span.into(),
                    });
                }
            }
        }
        let tiers: Vec<_> = self.symbols.tiers.iter().map(|(_, t)| t).collect();
        for tier in tiers {
            let known = self.party(&tier.from) & self.party(&tier.to);
            if known && tier.from.node == tier.to.node {
                self.report(CheckError::TierSameParty {
                    tier: tier.name.node.clone(),
                    party: tier.from.node.clone(),
                    span: tier.from.span.to(tier.to.span).into(),
                });
            }
        }
    }
}

/// A plausibility check, not RFC 5322: one `@` with text on both sides and a dot in
/// the domain, which catches the typos people actually make.
fn is_email(address: &str) -> bool {
    let Some((local, domain)) = address.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
}

#[cfg(test)]
mod tests {
    use super::is_email;

    #[test]
    fn plausible_addresses() {
        assert!(is_email("sales@example.com"));
        assert!(!is_email("sales.example.com"));
        assert!(!is_email("sales@example"));
        assert!(!is_email("@example.com"));
        assert!(!is_email("a@b@example.com"));
    }
}
