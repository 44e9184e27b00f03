//! End-to-end tests of the `tailor` binary live in `tests/`; this library is empty.
