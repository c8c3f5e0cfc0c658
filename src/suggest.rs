//! "Did you mean …?" for names given by hand.
//!
//! `intercom-codegen` has the same rule for its diagnostics (`check::names::closest`). The two cannot share
//! code: this crate is built by the generator, and a crate of its own for one function would cost more than
//! it saves. Keep them alike.

/// The closest of `candidates` to `name`, ignoring case, `_` and `-`, when it is close enough to be a typo.
pub(crate) fn closest(name: &str, candidates: impl IntoIterator<Item = &'static str>) -> Option<&'static str> {
    let normalized = normalize(name);
    candidates
        .into_iter()
        .map(|candidate| (strsim::levenshtein(&normalized, &normalize(candidate)), candidate))
        .filter(|(distance, candidate)| *distance <= (candidate.len() / 3).max(2))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

fn normalize(name: &str) -> String {
    name.chars().filter(|c| *c != '_' && *c != '-').flat_map(char::to_lowercase).collect()
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn suggestions() {
        let names = ["userId", "userIdType", "email"];
        assert_eq!(closest("user_id", names), Some("userId"));
        assert_eq!(closest("UserIdTyp", names), Some("userIdType"));
        assert_eq!(closest("companies", names), None);
    }
}
