#pragma once
// The dataset command with a chosen evaluator (defined in apps/cimnet/command_dataset.cpp).
#include "apps/cimnet/command.hpp"
#include <functional>

#include "config/scenario.hpp"
#include "evaluation/evaluator.hpp"

namespace cimnet::cli {
// `make_evaluator`: the evaluator for the run's scenario (the real one prices energy by its table).
int run_dataset_with(const Args& args, const std::function<evaluation::Evaluator(const Scenario&)>& make_evaluator);
}
