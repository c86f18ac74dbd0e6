//! The library's error type: every variant says what failed and where.

use std::path::PathBuf;

/// Result alias used across the library.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Errors raised by stancekit's library stages.
///
/// Messages are lowercase, quote the bad value and name the place (`file:line:column`) when
/// there is one, so the CLI can print them as they are.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be opened, read or written.
    #[error("{path}: {error}")]
    Io {
        /// The file involved.
        path: PathBuf,
        /// The underlying I/O error (in the message, not repeated as a source).
        error: std::io::Error,
    },
    /// A file holds no data rows.
    #[error("{path}: the file is empty (no data rows)")]
    EmptyFile {
        /// The file involved.
        path: PathBuf,
    },
    /// A required column is not in the header.
    #[error("{path}:1: no column '{column}' (columns found: {found})")]
    MissingColumn {
        /// The file involved.
        path: PathBuf,
        /// The column that was asked for.
        column: String,
        /// The columns of the header, comma separated.
        found: String,
    },
    /// A row holds a different number of fields than the header.
    #[error("{path}:{line}: expected {expected} fields, found {found}")]
    FieldCount {
        /// The file involved.
        path: PathBuf,
        /// 1-based line number.
        line: u64,
        /// Number of fields in the header.
        expected: usize,
        /// Number of fields on this row.
        found: usize,
    },
    /// A line is not valid UTF-8.
    #[error("{path}:{line}: invalid UTF-8")]
    InvalidUtf8 {
        /// The file involved.
        path: PathBuf,
        /// 1-based line number.
        line: u64,
    },
    /// A cell that must hold a value is empty.
    #[error("{path}:{line}:{column}: column '{name}' is empty")]
    EmptyField {
        /// The file involved.
        path: PathBuf,
        /// 1-based line number.
        line: u64,
        /// 1-based column number (field index).
        column: usize,
        /// Column name.
        name: String,
    },
    /// Any other malformed input row, with its position.
    #[error("{path}:{line}:{column}: {message}")]
    Syntax {
        /// The file involved.
        path: PathBuf,
        /// 1-based line number.
        line: u64,
        /// 1-based column number.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// Training data with fewer than two classes.
    #[error("{path}: column '{column}' holds only one class ({label:?}); at least two are needed")]
    OneClass {
        /// The file involved.
        path: PathBuf,
        /// The label column.
        column: String,
        /// The only label found.
        label: String,
    },
    /// A label the model does not know.
    #[error("{path}:{line}: unknown label {label:?} (the model knows: {known})")]
    UnknownLabel {
        /// The file involved.
        path: PathBuf,
        /// 1-based line number.
        line: u64,
        /// The label found.
        label: String,
        /// The model's labels, comma separated.
        known: String,
    },
    /// A model file that cannot be read as a stancekit model.
    #[error("{path}: {message}")]
    ModelFormat {
        /// The file involved.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// A malformed actor dictionary entry.
    #[error("{path}:{line}: {message}")]
    Dictionary {
        /// The dictionary file (or `<default>` for the embedded one).
        path: PathBuf,
        /// 1-based line number.
        line: u64,
        /// What is wrong.
        message: String,
    },
    /// An actor matcher that cannot be built from its dictionary.
    #[error("{path}: cannot build the actor matcher: {message}")]
    Matcher {
        /// The dictionary file (or `<default>` for the embedded one).
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// Invalid hyper-parameters or settings.
    #[error("invalid parameter: {0}")]
    Params(String),
    /// The optimiser failed.
    #[error("optimisation failed: {0}")]
    Optimizer(String),
    /// An error raised by linfa's traits.
    #[error("linfa: {0}")]
    LinfaCore(#[from] linfa::error::Error),
    /// The linfa reference solver failed.
    #[error("linfa-logistic: {0}")]
    Linfa(#[from] linfa_logistic::error::Error),
}

impl Error {
    /// Wraps an I/O error with the path it concerns.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            error: source,
        }
    }
}
