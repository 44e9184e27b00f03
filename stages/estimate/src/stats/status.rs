//! Model status: what happened when fitting, written to the `status` column.

/// Outcome of a fit or a test, as written to the `status` column.
///
/// Every status other than [`ModelStatus::Ok`] and [`ModelStatus::Firth`]
/// comes with null estimates in the output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ModelStatus {
    /// Fitted normally.
    Ok,
    /// Separation was detected in a logistic model, or monotone likelihood
    /// in a Cox model; estimates are Firth-penalised (Firth 1993; Heinze &
    /// Schemper 2001 for Cox, 2002 for logistic): finite, with
    /// penalised-likelihood ratio tests. Logistic CIs are Wald from the
    /// penalised fit's information; Cox CIs are profile penalised
    /// likelihood intervals.
    Firth,
    /// Covariates were perfectly collinear; the aliased ones were dropped
    /// (as R's `lm` does) and the remaining model fitted.
    CollinearDropped,
    /// The term of interest is not estimable (constant or aliased).
    NotEstimable,
    /// The iterations did not converge within the limit.
    NotConverged,
    /// An arm or subgroup has no patients.
    Empty,
    /// Too few patients for the method (e.g. fewer than 2 per arm for Welch).
    TooFew,
    /// Every outcome is the same (all or no events, or zero variance):
    /// the effect is undefined.
    NoVariation,
    /// No events, so no hazard ratio can be estimated.
    NoEvents,
    /// The covariates separate the arms (the propensity model shows
    /// separation): some patients have no comparable patient in the other
    /// arm, so no weighted estimate is made.
    NoOverlap,
}

impl ModelStatus {
    /// The value written to the `status` column.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::Firth => "firth",
            Self::CollinearDropped => "collinear_dropped",
            Self::NotEstimable => "not_estimable",
            Self::NotConverged => "not_converged",
            Self::Empty => "empty",
            Self::TooFew => "too_few",
            Self::NoVariation => "no_variation",
            Self::NoEvents => "no_events",
            Self::NoOverlap => "no_overlap",
        }
    }

    /// Whether estimates are reported with this status.
    pub fn has_estimates(self) -> bool {
        matches!(self, Self::Ok | Self::Firth | Self::CollinearDropped)
    }
}
