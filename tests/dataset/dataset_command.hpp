#pragma once
// The dataset command with a chosen evaluator (defined in apps/cimnet/command_dataset.cpp).
#include "apps/cimnet/command.hpp"
#include "evaluation/evaluator.hpp"

namespace cimnet::cli {
int run_dataset_with(const Args& args, const evaluation::Evaluator& evaluator);
}
