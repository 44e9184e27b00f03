//! Patient pseudonyms: HMAC-SHA256 of the trimmed UTF-8 id under the user's
//! key, as lowercase hex. The same key gives the same pseudonym in every run
//! and file; without the key a pseudonym cannot be traced back or recomputed.
//! Episode ids (hospital encounter numbers can identify a stay) get their
//! own pseudonyms under the same key, bound to the patient.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::options::PseudonymKey;

type HmacSha256 = Hmac<Sha256>;

/// The text hashed to fingerprint a key (so runs can be checked for using
/// the same key without revealing it).
const KEY_CHECK_MESSAGE: &[u8] = b"tailor join key check";

/// The pseudonym of `patient_id` (trimmed first) under `key`: 64 lowercase
/// hex digits.
pub fn pseudonym(key: &PseudonymKey, patient_id: &str) -> String {
    hex::encode(pseudonym_bytes(key, patient_id))
}

/// The pseudonym of `patient_id` (trimmed first) as its 32 bytes: what
/// [`pseudonym`] writes in hex, held compactly until it is written.
pub(crate) fn pseudonym_bytes(key: &PseudonymKey, patient_id: &str) -> [u8; 32] {
    mac(key, patient_id.trim().as_bytes())
}

/// Prefix of an episode pseudonym's message, so that no episode message
/// equals a patient-id message; `0x1f` (unit separator) ends each part.
const EPISODE_DOMAIN: &[u8] = b"tailor episode\x1f";

/// The pseudonym of one patient's episode id (both trimmed first), as 32
/// bytes (written as 64 lowercase hex digits). The same episode id of two
/// patients gets two pseudonyms, so encounter numbers cannot link patients.
pub(crate) fn episode_pseudonym(
    key: &PseudonymKey,
    patient_id: &str,
    episode_id: &str,
) -> [u8; 32] {
    let mut message = EPISODE_DOMAIN.to_vec();
    message.extend_from_slice(patient_id.trim().as_bytes());
    message.push(0x1f);
    message.extend_from_slice(episode_id.trim().as_bytes());
    mac(key, &message)
}

/// A short fingerprint of `key` (16 hex digits of an HMAC of a fixed text):
/// equal fingerprints mean the same key, and it reveals nothing else.
pub fn key_fingerprint(key: &PseudonymKey) -> String {
    let mut fingerprint = hex::encode(mac(key, KEY_CHECK_MESSAGE));
    fingerprint.truncate(16);
    fingerprint
}

fn mac(key: &PseudonymKey, message: &[u8]) -> [u8; 32] {
    // HMAC takes keys of any length, so this cannot fail.
    match HmacSha256::new_from_slice(key.bytes()) {
        Ok(mut mac) => {
            mac.update(message);
            mac.finalize().into_bytes().into()
        }
        Err(_) => [0; 32],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_python_hmac_and_is_stable() {
        // hmac.new(b"0123456789abcdef" * 2, b"P001", hashlib.sha256).hexdigest()
        let key = PseudonymKey::new(b"0123456789abcdef0123456789abcdef".to_vec()).unwrap();
        let p = pseudonym(&key, " P001 ");
        assert_eq!(
            p,
            "d0f99f17a67d8935d9dee29e1fe723bba26097faa8acf2a706f80671f3d1f860"
        );
        assert_eq!(p, pseudonym(&key, "P001"));
        assert_eq!(p.len(), 64);
        assert!(p
            .chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
        let other = PseudonymKey::new(b"0123456789abcdef0123456789abcdeF".to_vec()).unwrap();
        assert_ne!(p, pseudonym(&other, "P001"));
        assert_ne!(key_fingerprint(&key), key_fingerprint(&other));
        assert_eq!(key_fingerprint(&key).len(), 16);
    }

    #[test]
    fn episode_pseudonyms_are_bound_to_the_patient() {
        // hmac.new(b"0123456789abcdef" * 2, b"tailor episode\x1fP001\x1f7",
        //          hashlib.sha256).hexdigest()
        let key = PseudonymKey::new(b"0123456789abcdef0123456789abcdef".to_vec()).unwrap();
        let e = hex::encode(episode_pseudonym(&key, "P001", " 7 "));
        assert_eq!(
            e,
            "25085ab55afe6325533ea1e82c86fe68d62c9a7d205a72e7585320c79e4eed63"
        );
        assert_ne!(e, hex::encode(episode_pseudonym(&key, "P002", "7")));
        assert_ne!(e, pseudonym(&key, "7"));
    }
}
