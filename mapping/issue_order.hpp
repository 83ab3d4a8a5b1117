#pragma once
// The order in which `fused` issues a network's steps when some layers run on digital cores (issue 17:
// cores run different layers at once where dependencies allow; docs/heterogeneous.md, "Branches on
// different cores").
//
// The network's own order is one topological order of its layers; `fused` runs its steps one after
// another, each waiting for the previous one. A layer on a digital core needs only its producers, so
// issue_order moves each such layer up to right after its last producer: a ResNet shortcut projection
// then starts as soon as the block's input exists, and its core computes it while the arrays run the
// block's main path; ViT's K projection on a core runs while the arrays compute Q and V. (Moving a layer
// up never separates a MAC layer from a post-op that fuses into it: a post-op fuses only into the
// producer it is the sole reader of, and the moved layer reads its last producer too.) Every other
// layer keeps its place relative to the others; a network without layers on digital cores, or whose
// digital layers already follow their last producers, keeps its order exactly.
//
// In that order a digital step whose output is read by the very next step runs as before, the next
// step waiting for it. One whose first reader comes later is *concurrent*: the steps in between do not
// wait for it (network_program.cpp builds and estimates both; placement.cpp keeps what it reads in the
// global buffer until it is done).
#include <vector>

#include "workloads/network.hpp"

namespace cimnet {

// A permutation of the layer indices (module comment). `on_digital[i]`: layer i runs on a digital core
// (shorter than the network: the rest do not).
std::vector<int> issue_order(const Network& net, const std::vector<bool>& on_digital);

// Per layer: whether some other layer is neither its ancestor nor its descendant (it lies on a branch
// that could run beside other work). A chain of layers has none; the allocation of `fused` moves only
// such layers for the sake of concurrency (fused_allocation.hpp).
std::vector<bool> branch_layers(const Network& net);

}  // namespace cimnet
