// Small, deterministic statistics for the assessment insights: rank correlation and rank-sum tests.
// Everything here is exact or closed-form (no random resampling), so the same input always gives
// the same numbers, bit for bit.
#pragma once

#include <cstddef>
#include <vector>

namespace elaa::assess::stats {

// Ranks 1..n in ascending order; tied values share the mean of the ranks they span.
std::vector<double> ranks(const std::vector<double>& values);

double mean(const std::vector<double>& values);
// The middle value (the mean of the two middle ones for an even count); NaN when empty.
double median(std::vector<double> values);
// Pearson correlation; NaN when either vector is constant (no variation to relate).
double pearson(const std::vector<double>& x, const std::vector<double>& y);

// How a p-value was obtained.
enum class PMethod {
    TApproximation,  // t = r sqrt((n-2)/(1-r^2)) with n-2 degrees of freedom (Spearman, large n)
    ExactPermutation,  // every permutation / every split enumerated (ties handled exactly)
    NormalApproximation,  // tie-corrected normal approximation with continuity correction
};

struct Correlation {
    double rho = 0;  // NaN when undefined (a constant vector)
    std::size_t n = 0;
    double p_value = 1;  // two-sided; NaN when rho is undefined
    // 95 % confidence interval from Fisher's z with the Spearman standard error 1.06/sqrt(n-3)
    // (Fieller, Hartley & Pearson 1957); NaN when n < 4 or rho is undefined.
    double ci_low = 0, ci_high = 0;
    PMethod method = PMethod::TApproximation;
    // The smallest p-value any arrangement of y could give with this x (exact method only): tells
    // whether the test could reach significance at all with so few points or so many ties.
    double min_attainable_p = 0;
    bool defined() const;
};

// Spearman's rank correlation with a two-sided p-value: exact over all n! orderings of y when
// n <= kExactSpearmanMax, otherwise the t approximation with n-2 degrees of freedom.
inline constexpr std::size_t kExactSpearmanMax = 8;
Correlation spearman(const std::vector<double>& x, const std::vector<double>& y);
// The t approximation alone, whatever n (exposed so that tests can check it against a hand value).
double spearman_t_p_value(double rho, std::size_t n);

struct RankSumTest {
    double u = 0;  // Mann-Whitney U of the first sample: pairs (a, b) with a > b, ties counting 1/2
    std::size_t n1 = 0, n2 = 0;
    double p_value = 1;  // two-sided
    PMethod method = PMethod::ExactPermutation;
    double min_attainable_p = 0;  // exact method only
};

// Mann-Whitney U test (Wilcoxon rank-sum) of whether `a` tends to be larger or smaller than `b`.
// The p-value is the exact permutation distribution of the rank sum over all splits of the pooled
// ranks (ties included) when that is cheap to count, else the tie-corrected normal approximation.
RankSumTest mann_whitney(const std::vector<double>& a, const std::vector<double>& b);

// Holm's step-down adjustment of a family of p-values (same order as the input).
std::vector<double> holm_adjust(const std::vector<double>& p_values);

}  // namespace elaa::assess::stats
