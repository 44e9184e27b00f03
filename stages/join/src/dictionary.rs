//! The text values of the clinical columns (therapies, categories), each
//! stored once and referred to by a small code.

use std::collections::HashMap;
use std::sync::Arc;

/// A text value's code: `1..` into the [`Dictionary`] (0 is never a code,
/// so a column can use it for "missing").
pub(crate) type Code = u32;

/// Distinct text values, by code.
#[derive(Debug, Default)]
pub(crate) struct Dictionary {
    codes: HashMap<Arc<str>, Code>,
    values: Vec<Arc<str>>,
}

impl Dictionary {
    /// The code of `text`, adding it if new.
    pub(crate) fn code(&mut self, text: &str) -> Code {
        if let Some(&code) = self.codes.get(text) {
            return code;
        }
        let shared: Arc<str> = text.into();
        self.values.push(Arc::clone(&shared));
        let code = Code::try_from(self.values.len()).unwrap_or(Code::MAX);
        self.codes.insert(shared, code);
        code
    }

    /// The code of `text` if it was seen.
    pub(crate) fn find(&self, text: &str) -> Option<Code> {
        self.codes.get(text).copied()
    }

    /// The text of `code` (empty for a code never given out).
    pub(crate) fn text(&self, code: Code) -> &str {
        code.checked_sub(1)
            .and_then(|i| self.values.get(i as usize))
            .map_or("", |t| t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_code_per_distinct_text() {
        let mut dictionary = Dictionary::default();
        let a = dictionary.code("warfarin");
        let b = dictionary.code("apixaban");
        assert_eq!((a, b), (1, 2));
        assert_eq!(dictionary.code("warfarin"), a);
        assert_eq!(dictionary.find("apixaban"), Some(b));
        assert_eq!(dictionary.find("heparin"), None);
        assert_eq!(dictionary.text(b), "apixaban");
        assert_eq!(dictionary.text(0), "");
    }
}
