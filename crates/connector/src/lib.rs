//! connector (skeleton; filled in by its issue).
