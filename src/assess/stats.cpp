#include "assess/stats.hpp"

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <limits>
#include <numeric>

namespace elaa::assess::stats {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// Two statistics closer than this are the same value (they are sums of half-integer ranks).
constexpr double kTieTolerance = 1e-9;
// Above this many DP cell updates the exact rank-sum distribution gives way to the normal one.
constexpr double kExactRankSumBudget = 1e8;

double two_sided_normal_p(double z) {
    const boost::math::normal standard;
    return std::min(1.0, 2 * boost::math::cdf(boost::math::complement(standard, std::abs(z))));
}

// Centred cross-product of two rank vectors: Spearman's rho up to a factor that no permutation of
// y changes, so permutation tests can compare it directly.
double centred_cross(const std::vector<double>& rx, const std::vector<double>& ry) {
    const double mx = mean(rx), my = mean(ry);
    double s = 0;
    for (std::size_t i = 0; i < rx.size(); ++i) s += (rx[i] - mx) * (ry[i] - my);
    return s;
}

// Fraction of `statistics` at least as far from zero as `observed`.
double tail_fraction(const std::vector<double>& statistics, double observed) {
    const double threshold = std::abs(observed) - kTieTolerance;
    const auto extreme = std::count_if(statistics.begin(), statistics.end(),
                                       [&](double s) { return std::abs(s) >= threshold; });
    return static_cast<double>(extreme) / static_cast<double>(statistics.size());
}

// Exact two-sided Spearman p-value: every distinct arrangement of y's ranks is equally likely under
// independence (each occurs prod(t_i!) times among the n! orderings), so enumerating the distinct
// arrangements of the sorted ranks gives the null distribution.
void exact_spearman_p(const std::vector<double>& rx, const std::vector<double>& ry, Correlation& c) {
    std::vector<double> arrangement = ry;
    std::sort(arrangement.begin(), arrangement.end());
    std::vector<double> statistics;
    double most_extreme = 0;
    do {
        const double s = centred_cross(rx, arrangement);
        statistics.push_back(s);
        most_extreme = std::max(most_extreme, std::abs(s));
    } while (std::next_permutation(arrangement.begin(), arrangement.end()));
    c.p_value = tail_fraction(statistics, centred_cross(rx, ry));
    c.min_attainable_p = tail_fraction(statistics, most_extreme);
    c.method = PMethod::ExactPermutation;
}

void fisher_interval(Correlation& c) {
    if (c.n < 4) {
        c.ci_low = c.ci_high = kNaN;
        return;
    }
    if (std::abs(c.rho) >= 1) {
        c.ci_low = c.ci_high = c.rho;
        return;
    }
    const double z95 = boost::math::quantile(boost::math::normal(), 0.975);
    const double se = 1.06 / std::sqrt(static_cast<double>(c.n) - 3);
    const double z = std::atanh(c.rho);
    c.ci_low = std::tanh(z - z95 * se);
    c.ci_high = std::tanh(z + z95 * se);
}

// Number of ways to pick `size` of `values` (non-negative integers) with each possible sum:
// ways[s] for s = 0 .. sum(values). Doubles: counts beyond 2^53 lose only relative precision.
std::vector<double> subset_sum_counts(const std::vector<long>& values, std::size_t size) {
    const long total = std::accumulate(values.begin(), values.end(), 0L);
    std::vector<std::vector<double>> ways(size + 1, std::vector<double>(static_cast<std::size_t>(total) + 1, 0.0));
    ways[0][0] = 1;
    for (long v : values)
        for (std::size_t k = size; k >= 1; --k)  // downwards: each value used at most once
            for (long s = total; s >= v; --s) ways[k][s] += ways[k - 1][s - v];
    return ways[size];
}

// Two-sided exact p of a doubled rank sum (an integer) given the null distribution of sums.
void exact_rank_sum_p(const std::vector<double>& pooled_ranks, std::size_t n_first, long observed_doubled,
                      RankSumTest& t) {
    std::vector<long> doubled;
    for (double r : pooled_ranks) doubled.push_back(std::lround(2 * r));
    const auto ways = subset_sum_counts(doubled, n_first);
    const double total_ways = std::accumulate(ways.begin(), ways.end(), 0.0);
    const double expected = static_cast<double>(n_first) * static_cast<double>(pooled_ranks.size() + 1);
    auto p_at = [&](double deviation) {
        double extreme = 0;
        for (std::size_t s = 0; s < ways.size(); ++s)
            if (std::abs(static_cast<double>(s) - expected) >= deviation - kTieTolerance) extreme += ways[s];
        return std::min(1.0, extreme / total_ways);
    };
    double widest = 0;
    for (std::size_t s = 0; s < ways.size(); ++s)
        if (ways[s] > 0) widest = std::max(widest, std::abs(static_cast<double>(s) - expected));
    t.p_value = p_at(std::abs(static_cast<double>(observed_doubled) - expected));
    t.min_attainable_p = p_at(widest);
    t.method = PMethod::ExactPermutation;
}

void normal_rank_sum_p(const std::vector<double>& pooled, RankSumTest& t) {
    const double n1 = static_cast<double>(t.n1), n2 = static_cast<double>(t.n2), n = n1 + n2;
    std::vector<double> sorted = pooled;
    std::sort(sorted.begin(), sorted.end());
    double tie_term = 0;  // sum over tie groups of t^3 - t
    for (std::size_t i = 0; i < sorted.size();) {
        std::size_t j = i;
        while (j < sorted.size() && sorted[j] == sorted[i]) ++j;
        const double size = static_cast<double>(j - i);
        tie_term += size * size * size - size;
        i = j;
    }
    const double variance = n1 * n2 / 12 * ((n + 1) - tie_term / (n * (n - 1)));
    const double deviation = std::max(0.0, std::abs(t.u - n1 * n2 / 2) - 0.5);  // continuity correction
    t.p_value = variance > 0 ? two_sided_normal_p(deviation / std::sqrt(variance)) : 1;
    t.method = PMethod::NormalApproximation;
    t.min_attainable_p = kNaN;
}

}  // namespace

std::vector<double> ranks(const std::vector<double>& values) {
    std::vector<std::size_t> order(values.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
    std::vector<double> out(values.size());
    for (std::size_t i = 0; i < order.size();) {
        std::size_t j = i;
        while (j < order.size() && values[order[j]] == values[order[i]]) ++j;
        const double shared = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2;  // mean of ranks i+1..j
        for (std::size_t k = i; k < j; ++k) out[order[k]] = shared;
        i = j;
    }
    return out;
}

double mean(const std::vector<double>& values) {
    if (values.empty()) return kNaN;
    return std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
}

double median(std::vector<double> values) {
    if (values.empty()) return kNaN;
    std::sort(values.begin(), values.end());
    const std::size_t mid = values.size() / 2;
    return values.size() % 2 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

double pearson(const std::vector<double>& x, const std::vector<double>& y) {
    const double mx = mean(x), my = mean(y);
    double sxy = 0, sxx = 0, syy = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        sxy += (x[i] - mx) * (y[i] - my);
        sxx += (x[i] - mx) * (x[i] - mx);
        syy += (y[i] - my) * (y[i] - my);
    }
    if (sxx <= 0 || syy <= 0) return kNaN;
    return std::clamp(sxy / std::sqrt(sxx * syy), -1.0, 1.0);
}

bool Correlation::defined() const { return !std::isnan(rho); }

double spearman_t_p_value(double rho, std::size_t n) {
    if (n < 3 || std::isnan(rho)) return kNaN;
    if (std::abs(rho) >= 1) return 0;
    const double dof = static_cast<double>(n) - 2;
    const double t = rho * std::sqrt(dof / (1 - rho * rho));
    const boost::math::students_t dist(dof);
    return std::min(1.0, 2 * boost::math::cdf(boost::math::complement(dist, std::abs(t))));
}

Correlation spearman(const std::vector<double>& x, const std::vector<double>& y) {
    Correlation c;
    c.n = x.size();
    const auto rx = ranks(x), ry = ranks(y);
    c.rho = pearson(rx, ry);
    if (!c.defined() || c.n < 3) {
        c.rho = c.defined() ? c.rho : kNaN;
        c.p_value = c.ci_low = c.ci_high = c.min_attainable_p = kNaN;
        return c;
    }
    if (c.n <= kExactSpearmanMax) {
        exact_spearman_p(rx, ry, c);
    } else {
        c.p_value = spearman_t_p_value(c.rho, c.n);
        c.min_attainable_p = kNaN;
    }
    fisher_interval(c);
    return c;
}

RankSumTest mann_whitney(const std::vector<double>& a, const std::vector<double>& b) {
    RankSumTest t;
    t.n1 = a.size();
    t.n2 = b.size();
    if (a.empty() || b.empty()) {
        t.p_value = t.min_attainable_p = kNaN;
        return t;
    }
    std::vector<double> pooled = a;
    pooled.insert(pooled.end(), b.begin(), b.end());
    const auto r = ranks(pooled);
    double rank_sum_a = 0;
    for (std::size_t i = 0; i < t.n1; ++i) rank_sum_a += r[i];
    t.u = rank_sum_a - static_cast<double>(t.n1 * (t.n1 + 1)) / 2;

    const double n = static_cast<double>(pooled.size());
    const double dp_cost = n * static_cast<double>(t.n1) * n * (n + 1);
    if (dp_cost <= kExactRankSumBudget)
        exact_rank_sum_p(r, t.n1, std::lround(2 * rank_sum_a), t);
    else
        normal_rank_sum_p(pooled, t);
    return t;
}

std::vector<double> holm_adjust(const std::vector<double>& p_values) {
    // Undefined tests (NaN) are not part of the family: they stay NaN and do not count in m.
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < p_values.size(); ++i)
        if (!std::isnan(p_values[i])) order.push_back(i);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return p_values[a] < p_values[b]; });
    std::vector<double> adjusted(p_values.size(), kNaN);
    const std::size_t m = order.size();
    double running = 0;  // adjusted p-values never decrease along the sorted order
    for (std::size_t k = 0; k < m; ++k) {
        running = std::max(running, std::min(1.0, static_cast<double>(m - k) * p_values[order[k]]));
        adjusted[order[k]] = running;
    }
    return adjusted;
}

}  // namespace elaa::assess::stats
