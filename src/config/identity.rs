//! The identities `[approvers]` lists: e-mail addresses, SSH public keys or fingerprints, GPG
//! fingerprints; and the address in a `Name <address>` trailer value.

/// One identity of `[approvers]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Identity {
    /// An e-mail address, lower-cased.
    Email(String),
    /// An SSH key's fingerprint (`SHA256:…`), from a public key or written as such.
    SshKey(String),
    /// A GPG fingerprint, upper-case hex without spaces.
    Gpg(String),
}

/// Reads one identity as written in book.toml; `None` when it is none of the accepted forms.
pub fn parse_identity(s: &str) -> Option<Identity> {
    let s = s.trim();
    if let Some(fp) = s.strip_prefix("SHA256:") {
        return (!fp.is_empty() && !fp.contains(char::is_whitespace))
            .then(|| Identity::SshKey(s.to_string()));
    }
    let mut words = s.split_whitespace();
    let first = words.next()?;
    if first.starts_with("ssh-") || first.starts_with("ecdsa-") || first.starts_with("sk-") {
        let blob = base64_decode(words.next()?)?;
        use sha2::Digest;
        let digest = sha2::Sha256::digest(&blob);
        return Some(Identity::SshKey(format!(
            "SHA256:{}",
            base64_encode_unpadded(&digest)
        )));
    }
    let hex: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    if (16..=64).contains(&hex.len()) && hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return Some(Identity::Gpg(hex.to_ascii_uppercase()));
    }
    if !s.contains(char::is_whitespace) && email_like(s) {
        return Some(Identity::Email(s.to_ascii_lowercase()));
    }
    None
}

pub fn email_like(s: &str) -> bool {
    s.split_once('@')
        .is_some_and(|(local, domain)| !local.is_empty() && !domain.is_empty())
}

/// The e-mail address of `Name <address>` or of a bare address, lower-cased.
pub fn email_of(value: &str) -> Option<String> {
    let v = value.trim();
    let addr = match (v.rfind('<'), v.rfind('>')) {
        (Some(a), Some(b)) if a < b => &v[a + 1..b],
        _ => v,
    };
    let addr = addr.trim();
    (email_like(addr) && !addr.contains(char::is_whitespace)).then(|| addr.to_ascii_lowercase())
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in s.trim_end_matches('=').bytes() {
        let v = B64.iter().position(|&b| b == c)? as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    (!out.is_empty()).then_some(out)
}

fn base64_encode_unpadded(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 4 / 3 + 2);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (k, &b)| n | (u32::from(b) << (16 - 8 * k)));
        let chars = chunk.len() + 1;
        for k in 0..chars {
            out.push(char::from(B64[((n >> (18 - 6 * k)) & 63) as usize]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identities_are_read_in_each_form() {
        assert_eq!(
            parse_identity("Ana.Ruiz@Corvina.example"),
            Some(Identity::Email("ana.ruiz@corvina.example".into()))
        );
        assert_eq!(
            parse_identity("0123 4567 89ab cdef 0123  4567 89AB CDEF 0123 4567"),
            Some(Identity::Gpg(
                "0123456789ABCDEF0123456789ABCDEF01234567".into()
            ))
        );
        // `ssh-keygen -lf` of this key prints this fingerprint.
        assert_eq!(
            parse_identity(
                "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIDXnyfuaZTiLWkrgCYZUsKWL4uHBhsSaqJjO9B91j+U ana"
            ),
            Some(Identity::SshKey(
                "SHA256:AWHRiDLK9iuDj2AOfMHiZr+bUKfK0MZEBFowlhyy93s".into()
            ))
        );
        assert_eq!(parse_identity("Chief Executive"), None);
        assert_eq!(parse_identity("ssh-ed25519 !!!"), None);
    }
}
