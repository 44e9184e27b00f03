//! Criterion benches of tailor's hot paths live in `benches/`; `compare/` has the side-by-side scripts.
