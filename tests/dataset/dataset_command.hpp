#pragma once
// The dataset command with a chosen evaluator (defined in apps/cimnet/command_dataset.cpp).
#include "apps/cimnet/command.hpp"
#include <functional>

#include "config/scenario.hpp"
#include "evaluation/evaluator.hpp"

namespace cimnet::cli {
// `make_evaluator`: the evaluator for the run's scenario (the real one prices energy by its table).
// `on_point`: called after each finished point (dataset::JobOptions::on_point).
int run_dataset_with(const Args& args, const std::function<evaluation::Evaluator(const Scenario&)>& make_evaluator,
                     const std::function<void(std::size_t, std::size_t)>& on_point = {});
}
