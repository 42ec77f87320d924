//! Tests of the generated `moveworks-api` crate live in `tests/`; the
//! generated crate itself holds only generated code.
