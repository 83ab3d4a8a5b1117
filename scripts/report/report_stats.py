"""Numbers the report shows beside its figures: rank correlation, errors, Pareto fronts, hypervolume,
iso-accuracy speedup. Standard library only; everything here is a pure function of its arguments.

Conventions: accuracy is maximised, cycles minimised. A point is a (cycles, accuracy) pair.
"""

import math


def _merge_count_inversions(values):
    """Sorts `values` (a list) in place and returns the number of pairs i < j with values[i] > values[j]."""
    n = len(values)
    if n < 2:
        return 0
    buffer = list(values)
    swaps = 0
    width = 1
    source, target = values, buffer
    while width < n:
        for start in range(0, n, 2 * width):
            middle = min(start + width, n)
            end = min(start + 2 * width, n)
            left, right, out = start, middle, start
            while left < middle and right < end:
                if source[right] < source[left]:
                    target[out] = source[right]
                    swaps += middle - left
                    right += 1
                else:
                    target[out] = source[left]
                    left += 1
                out += 1
            while left < middle:
                target[out] = source[left]
                left += 1
                out += 1
            while right < end:
                target[out] = source[right]
                right += 1
                out += 1
        source, target = target, source
        width *= 2
    if source is not values:
        values[:] = source
    return swaps


def _tied_pairs(sorted_values):
    """Number of pairs with equal values in an already sorted sequence."""
    pairs = 0
    run = 1
    for i in range(1, len(sorted_values) + 1):
        if i < len(sorted_values) and sorted_values[i] == sorted_values[i - 1]:
            run += 1
        else:
            pairs += run * (run - 1) // 2
            run = 1
    return pairs


def kendall_tau(x, y):
    """Kendall tau-b in O(n log n) (Knight's algorithm); 0 for fewer than two points or a constant side."""
    n = len(x)
    if n != len(y):
        raise ValueError("kendall_tau: sequences of different length")
    if n < 2:
        return 0.0
    pairs = sorted(zip(x, y))
    total = n * (n - 1) // 2
    tied_x = _tied_pairs([p[0] for p in pairs])
    # Pairs tied in both x and y.
    tied_xy = 0
    run = 1
    for i in range(1, n + 1):
        if i < n and pairs[i] == pairs[i - 1]:
            run += 1
        else:
            tied_xy += run * (run - 1) // 2
            run = 1
    ys = [p[1] for p in pairs]
    swaps = _merge_count_inversions(ys)
    tied_y = _tied_pairs(ys)
    denominator = math.sqrt((total - tied_x) * (total - tied_y))
    if denominator == 0:
        return 0.0
    concordant_minus_discordant = total - tied_x - tied_y + tied_xy - 2 * swaps
    return concordant_minus_discordant / denominator


def mape(actual, predicted):
    """Mean absolute percentage error in percent; inf when an actual value is 0; nan when empty."""
    if not actual:
        return float("nan")
    total = 0.0
    for a, p in zip(actual, predicted):
        if a == 0:
            return float("inf")
        total += abs((p - a) / a)
    return 100.0 * total / len(actual)


def pareto_front(points):
    """Indices of the non-dominated (cycles, accuracy) points (fewer cycles and more accuracy are
    better), sorted by increasing cycles. Of equal points the first is kept."""
    order = sorted(range(len(points)), key=lambda i: (points[i][0], -points[i][1], i))
    front = []
    best_accuracy = -math.inf
    for i in order:
        if points[i][1] > best_accuracy:
            front.append(i)
            best_accuracy = points[i][1]
    return front


def hypervolume_2d(points, reference):
    """Area dominated by (cycles, accuracy) points and bounded by the reference point (cycles_ref,
    accuracy_ref): only points strictly better than it in both coordinates count."""
    inside = [(c, a) for c, a in points if c < reference[0] and a > reference[1]]
    if not inside:
        return 0.0
    front = [inside[i] for i in pareto_front(inside)]
    area = 0.0
    # Front sorted by cycles, so accuracy rises too: each point adds the slab between the previous
    # point's accuracy and its own, as wide as its distance to the reference cycles.
    previous_accuracy = reference[1]
    for cycles, accuracy in front:
        area += (reference[0] - cycles) * (accuracy - previous_accuracy)
        previous_accuracy = accuracy
    return area


def iso_accuracy_speedup(front_points, reference):
    """The fewest cycles among points at least as accurate as the reference design, and the speedup
    reference cycles / those cycles; (None, None) when no point reaches the reference accuracy."""
    candidates = [p for p in front_points if p[1] >= reference[1]]
    if not candidates:
        return None, None
    best = min(candidates, key=lambda p: (p[0], -p[1]))
    return best, (reference[0] / best[0] if best[0] > 0 else float("inf"))
