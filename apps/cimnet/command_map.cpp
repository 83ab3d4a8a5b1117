// cimnet map: the best K mappings of one layer, with their scores and cost breakdowns.
#include <iostream>
#include <nlohmann/json.hpp>

#include "apps/cimnet/command.hpp"
#include "apps/cimnet/options.hpp"
#include "apps/cimnet/table.hpp"
#include "common/error.hpp"
#include "common/text.hpp"
#include "mapping/mapper.hpp"

namespace cimnet::cli {

int run_map(const Args& args) {
  po::options_description options("options");
  options.add_options()
      ("scenario", po::value<std::string>(), "scenario file (default: the embedded default scenario)")
      ("space", po::value<std::string>(), "search space (default: the scenario's)")
      ("arch", po::value<std::string>(), "sub-network (default max)")
      ("network", po::value<std::string>(), "a network file (YAML) instead of --space/--arch")
      ("inner-precision", po::value<std::string>(),
       "W/A: every MAC layer but the first and last with W-bit weights, the activations between at A bits "
       "(DIANA's deployment: 2/7)")
      ("hw", po::value<std::vector<std::string>>()->composing(), "override a hardware parameter, KEY=VALUE; repeatable")
      ("layer", po::value<std::string>(), "the layer: its index or its name (required)")
      ("top", po::value<int>()->default_value(5), "mappings to show (1..100)");
  add_onnx_options(options);
  add_llm_options(options);
  const auto vm = parse_options("map", "(--space S --arch SPEC | --network FILE | --onnx FILE | --llm NAME (--prefill P | --decode-at T)) --layer N [--top K] [--hw K=V ...]", options, args);
  if (!vm.count("layer")) throw InputError("--layer is required (an index or a layer name; see 'cimnet network')");
  const int top = vm["top"].as<int>();
  if (top < 1 || top > 100) throw InputError("--top must be 1..100, got " + std::to_string(top));
  nlohmann::json header;
  const Network net = network_from(vm, header);
  const HardwareConfig hw = hardware_from(vm);
  const std::string which = vm["layer"].as<std::string>();
  const Layer* layer = nullptr;
  for (const auto& l : net.layers) {
    if (l.name == which) layer = &l;
  }
  if (!layer) {
    std::size_t pos = 0;
    long long idx = -1;
    try {
      idx = std::stoll(which, &pos);
    } catch (const std::exception&) {
      pos = 0;
    }
    if (pos != which.size() || idx < 0 || idx >= static_cast<long long>(net.layers.size())) {
      throw InputError("--layer '" + which + "': no such layer (indices 0.." + std::to_string(net.layers.size() - 1) +
                       " or a name; see 'cimnet network')");
    }
    layer = &net.layers[static_cast<std::size_t>(idx)];
  }
  if (!layer->is_mac_layer()) {
    throw InputError("layer '" + layer->name + "' (" + to_string(layer->kind) +
                     ") has no MACs: it runs on the vector unit and has no mapping to search");
  }
  const LayerMapping lm = map_layer(*layer, hw, static_cast<std::size_t>(top));
  std::cout << "layer:    " << layer->name << " (" << describe_operation(*layer) << "), " << with_thousands(layer->macs())
            << " MACs, " << with_thousands(layer->weight_bytes()) << " stationary bytes\n"
            << "hardware: " << hw.summary() << "\n"
            << "searched: " << lm.enumerated << " plans of the mapspace, " << lm.evaluated
            << " scored (the rest provably cannot enter the top " << top
            << "; the result equals scoring all); ties keep the first enumerated\n\n";
  Table t({">rank", "mapping", ">passes", ">tile B", ">pos/tile", ">cycles", ">ideal", ">load", ">write-back", ">stall",
           ">DRAM B", ">arrays", "bound"});
  int rank = 1;
  for (const auto& s : lm.best) {
    t.add_row({std::to_string(rank++), s.plan.mapping.summary(), std::to_string(s.plan.passes),
               with_thousands(s.plan.tile_bytes), std::to_string(s.plan.m), with_thousands(s.cost.cycles),
               with_thousands(s.cost.ideal), with_thousands(s.cost.load), with_thousands(s.cost.write_back),
               with_thousands(s.cost.stall), with_thousands(s.cost.dram_bytes), std::to_string(s.cost.arrays_used),
               s.cost.bound});
  }
  t.print(std::cout);
  std::cout << "\nmapping: gp group pack, k/r output-channel and reduction splits (@ where partial sums are reduced),\n"
               "x replicas, t input tiles per pass; see docs/mapping.md.\n";
  return 0;
}

}  // namespace cimnet::cli
