// validate() answers its capacity and free-order checks with a block-wise ancestor computation
// (memory linear in the ops). This checks it against the direct definition — a full ancestor set per
// op — on random programs, with blocks of one word so that every program takes many blocks, and on
// the programs of whole networks.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "common/random.hpp"
#include "mapping/network_mapper.hpp"
#include "program/program.hpp"
#include "workloads/search_space.hpp"

namespace cimnet {
namespace {

// The definition: ancestors as explicit sets; "" when valid, else which check fails. Only the checks
// that need reachability (the others are shared code and already tested in tests/models).
std::string reference_check(const Program& p, std::int64_t capacity) {
  const std::size_t n = p.ops.size();
  const std::vector<int> order = topological_order(p);
  std::vector<std::vector<char>> anc(n, std::vector<char>(n, 0));
  for (int v : order) {
    for (int d : p.ops[static_cast<std::size_t>(v)].deps) {
      for (std::size_t k = 0; k < n; ++k) anc[static_cast<std::size_t>(v)][k] |= anc[static_cast<std::size_t>(d)][k];
      anc[static_cast<std::size_t>(v)][static_cast<std::size_t>(d)] = 1;
    }
  }
  std::vector<int> freed_by(n, -1);
  for (std::size_t i = 0; i < n; ++i) {
    const Op& op = p.ops[i];
    if (op.kind != OpKind::Free) continue;
    if (!anc[i][static_cast<std::size_t>(op.frees)]) return "must depend";
    if (freed_by[static_cast<std::size_t>(op.frees)] >= 0) return "already freed";
    freed_by[static_cast<std::size_t>(op.frees)] = static_cast<int>(i);
  }
  for (int a = 0; a < 4; ++a) {
    std::vector<int> loads;
    for (std::size_t i = 0; i < n; ++i) {
      const Op& op = p.ops[i];
      if (op.kind == OpKind::LoadWeights && std::find(op.arrays.begin(), op.arrays.end(), a) != op.arrays.end()) {
        loads.push_back(static_cast<int>(i));
      }
    }
    for (int l : loads) {
      std::int64_t resident = p.ops[static_cast<std::size_t>(l)].bytes;
      for (int o : loads) {
        if (o == l || anc[static_cast<std::size_t>(o)][static_cast<std::size_t>(l)]) continue;
        const int f = freed_by[static_cast<std::size_t>(o)];
        if (f >= 0 && anc[static_cast<std::size_t>(l)][static_cast<std::size_t>(f)]) continue;
        resident += p.ops[static_cast<std::size_t>(o)].bytes;
      }
      if (resident > capacity) return "capacity overflow in array " + std::to_string(a) + ": when " + describe(p, l);
    }
  }
  return "";
}

std::string checked(const Program& p, const HardwareConfig& hw, std::size_t words) {
  try {
    detail::validate(p, hw, words);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(Validation, BlockwiseCapacityCheckEqualsTheDefinition) {
  HardwareConfig hw = HardwareSpace::defaults().reference_config();
  hw.set(HwParam::L1_num_child, 2);
  hw.set(HwParam::MA_num_child, 2);  // arrays 0..3
  Rng rng(99);
  int invalid = 0, valid = 0;
  for (int trial = 0; trial < 400; ++trial) {
    const auto capacity = static_cast<std::int64_t>(500 + rng.uniform_int(6000));
    hw.set(HwParam::MA_mem_size, capacity);
    Program p;
    std::vector<int> loads, unfreed;
    const int ops = 20 + static_cast<int>(rng.uniform_int(180));
    for (int i = 0; i < ops; ++i) {
      // Dependencies on a few earlier ops (acyclic by construction).
      std::vector<int> deps;
      const int nd = i == 0 ? 0 : static_cast<int>(rng.uniform_int(3));
      for (int k = 0; k < nd; ++k) {
        const int d = static_cast<int>(rng.uniform_int(static_cast<std::size_t>(i)));
        if (std::find(deps.begin(), deps.end(), d) == deps.end()) deps.push_back(d);
      }
      // Mostly a chain, so that loads are often ordered after earlier frees.
      if (i > 0 && rng.uniform_int(3) != 0 && std::find(deps.begin(), deps.end(), i - 1) == deps.end()) {
        deps.push_back(i - 1);
      }
      const auto kind = rng.uniform_int(4);
      if (kind == 0 || unfreed.empty()) {
        std::vector<int> arrays;
        for (int a = 0; a < 4; ++a) {
          if (rng.uniform_int(2) || (a == 3 && arrays.empty())) arrays.push_back(a);
        }
        const int id = p.load(arrays, 100 + static_cast<std::int64_t>(rng.uniform_int(400)), deps);
        loads.push_back(id);
        unfreed.push_back(id);
      } else if (kind == 1) {
        // Free an unfreed load, usually after it (sometimes not: the "must depend" check).
        const std::size_t k = rng.uniform_int(unfreed.size());
        const int l = unfreed[k];
        if (rng.uniform_int(60) != 0) deps.push_back(l);
        std::sort(deps.begin(), deps.end());
        deps.erase(std::unique(deps.begin(), deps.end()), deps.end());
        p.free(l, deps);
        unfreed.erase(unfreed.begin() + static_cast<std::ptrdiff_t>(k));
      } else {
        p.compute({static_cast<int>(rng.uniform_int(4))}, 10, 10, deps);
      }
    }
    const std::string want = reference_check(p, capacity);
    for (std::size_t words : {std::size_t{1}, std::size_t{0}}) {
      const std::string got = checked(p, hw, words);
      if (want.empty()) {
        EXPECT_EQ(got, "") << "trial " << trial;
      } else {
        EXPECT_NE(got.find(want), std::string::npos) << "trial " << trial << ": want '" << want << "', got '" << got << "'";
      }
    }
    (want.empty() ? valid : invalid) += 1;
    if (trial == 399) std::printf("[validation] %d valid, %d invalid random programs\n", valid, invalid);
  }
  // Both outcomes occur often enough to mean something.
  EXPECT_GT(valid, 40);
  EXPECT_GT(invalid, 40);
}

// Whole-network programs validate with one-word blocks exactly as with the default blocks.
TEST(Validation, NetworkProgramsValidateWithSmallBlocks) {
  const HardwareSpace hs = HardwareSpace::defaults();
  for (const char* name : {"ofa-mbv3", "ofa-resnet50"}) {
    const auto space = make_space(name);
    const HardwareConfig hw = hs.config(hs.smallest());
    const NetworkMapping nm = map_network(space->build(space->smallest()), hw);
    EXPECT_EQ(checked(nm.program, hw, 1), "") << name;
  }
}

}  // namespace
}  // namespace cimnet
