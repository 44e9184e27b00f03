//! The `status` column of the estimate tables (subgroup_effects, models,
//! overlap): what happened when fitting a model or computing an estimate.

use crate::vocabulary::vocabulary;

vocabulary! {
    /// Outcome of a fit or a test, as written to the `status` column.
    ///
    /// Every status other than [`ModelStatus::Ok`], [`ModelStatus::Firth`]
    /// and [`ModelStatus::CollinearDropped`] comes with null estimates.
    pub enum ModelStatus {
        /// Fitted normally.
        Ok => "ok",
        /// Separation was detected in a logistic model, or monotone likelihood
        /// in a Cox model; estimates are Firth-penalised (Firth 1993; Heinze &
        /// Schemper 2001 for Cox, 2002 for logistic): finite, with
        /// penalised-likelihood ratio tests. Logistic CIs are Wald from the
        /// penalised fit's information; Cox CIs are profile penalised
        /// likelihood intervals.
        Firth => "firth",
        /// Covariates were perfectly collinear; the aliased ones were dropped
        /// (as R's `lm` does) and the remaining model fitted.
        CollinearDropped => "collinear_dropped",
        /// The term of interest is not estimable (constant or aliased).
        NotEstimable => "not_estimable",
        /// The iterations did not converge within the limit.
        NotConverged => "not_converged",
        /// An arm or subgroup has no patients.
        Empty => "empty",
        /// Too few patients for the method (e.g. fewer than 2 per arm for Welch).
        TooFew => "too_few",
        /// Every outcome is the same (all or no events, or zero variance):
        /// the effect is undefined.
        NoVariation => "no_variation",
        /// No events, so no hazard ratio can be estimated.
        NoEvents => "no_events",
        /// The covariates separate the arms (the propensity model shows
        /// separation): some patients have no comparable patient in the other
        /// arm, so no weighted estimate is made.
        NoOverlap => "no_overlap",
    }
}

impl ModelStatus {
    /// Whether estimates are reported with this status.
    pub fn has_estimates(self) -> bool {
        matches!(self, Self::Ok | Self::Firth | Self::CollinearDropped)
    }
}

#[cfg(test)]
mod tests {
    use super::ModelStatus;

    #[test]
    fn statuses_read_back_as_written() {
        for &status in ModelStatus::ALL {
            assert_eq!(ModelStatus::parse(status.as_str()), Some(status));
        }
        assert_eq!(ModelStatus::CollinearDropped.as_str(), "collinear_dropped");
        assert_eq!(ModelStatus::parse("no-call"), None);
        assert!(ModelStatus::Firth.has_estimates());
        assert!(!ModelStatus::NoOverlap.has_estimates());
    }
}
