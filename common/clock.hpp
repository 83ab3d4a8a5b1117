#pragma once
// Seconds on a monotonic clock: for deadlines, rates and phase times, never for dates.
namespace cimnet {

double monotonic_seconds();

}  // namespace cimnet
