#include "mapping/issue_order.hpp"

#include <algorithm>
#include <cstdint>

namespace cimnet {

std::vector<int> issue_order(const Network& net, const std::vector<bool>& on_digital) {
  const std::size_t n = net.layers.size();
  auto digital = [&](std::size_t i) { return i < on_digital.size() && on_digital[i]; };
  // Digital layers waiting for producers: issued right after the last of them is. Those that read the
  // network input alone go first. A digital layer may read another one: it then follows that one.
  std::vector<bool> issued(n, false);
  std::vector<int> order;
  order.reserve(n);
  auto ready = [&](std::size_t d) {
    return std::all_of(net.layers[d].inputs.begin(), net.layers[d].inputs.end(),
                       [&](int p) { return p < 0 || issued[static_cast<std::size_t>(p)]; });
  };
  // Issues `i`, then every digital layer it completes the producers of (in the network's order).
  auto issue = [&](std::size_t first) {
    std::vector<std::size_t> todo{first};
    while (!todo.empty()) {
      const std::size_t i = todo.front();
      todo.erase(todo.begin());
      if (issued[i]) continue;
      issued[i] = true;
      order.push_back(static_cast<int>(i));
      for (std::size_t d = i + 1; d < n; ++d) {
        if (digital(d) && !issued[d] && ready(d)) todo.push_back(d);
      }
    }
  };
  for (std::size_t d = 0; d < n; ++d) {
    if (digital(d) && !issued[d] && ready(d)) issue(d);
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (!issued[i]) issue(i);
  }
  return order;
}

std::vector<bool> branch_layers(const Network& net) {
  const std::size_t n = net.layers.size();
  const std::size_t words = (n + 63) / 64;
  // Ancestors of each layer as bit sets (the network's order is topological).
  std::vector<std::uint64_t> ancestors(n * words, 0);
  for (std::size_t i = 0; i < n; ++i) {
    std::uint64_t* mine = &ancestors[i * words];
    for (int p : net.layers[i].inputs) {
      if (p < 0) continue;
      const std::uint64_t* theirs = &ancestors[static_cast<std::size_t>(p) * words];
      for (std::size_t w = 0; w < words; ++w) mine[w] |= theirs[w];
      mine[static_cast<std::size_t>(p) / 64] |= std::uint64_t{1} << (static_cast<std::size_t>(p) % 64);
    }
  }
  auto is_ancestor = [&](std::size_t a, std::size_t of) {
    return (ancestors[of * words + a / 64] >> (a % 64)) & 1u;
  };
  std::vector<bool> out(n, false);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = i + 1; j < n; ++j) {
      if (!is_ancestor(i, j)) {  // j comes later, so it is no ancestor of i: the two are unordered
        out[i] = out[j] = true;
      }
    }
  }
  return out;
}

}  // namespace cimnet
