// cimnet network: every layer of a sub-network (or of a user's network file) with shapes, MACs,
// parameters and bytes, and the totals.
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "apps/cimnet/command.hpp"
#include "apps/cimnet/json_views.hpp"
#include "apps/cimnet/options.hpp"
#include "apps/cimnet/table.hpp"
#include "common/error.hpp"

namespace cimnet::cli {
namespace {

std::string shape(std::int64_t batch, std::int64_t c, std::int64_t h, std::int64_t w) {
  std::string s = (batch > 1 ? std::to_string(batch) + "x" : "") + std::to_string(c);
  if (h > 1 || w > 1) s += "x" + std::to_string(h) + "x" + std::to_string(w);
  return s;
}

std::string inputs_text(const Network& net, const Layer& l) {
  std::string s;
  for (int p : l.inputs) {
    if (!s.empty()) s += " ";
    s += p < 0 ? "input" : net.layers[static_cast<std::size_t>(p)].name;
  }
  return s;
}

std::string millions(std::int64_t v) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(3) << static_cast<double>(v) / 1e6;
  return s.str();
}


}  // namespace

int run_network(const Args& args) {
  po::options_description options("options");
  options.add_options()
      ("space", po::value<std::string>(), "search space: ofa-mbv3, ofa-mbv3-w12, ofa-resnet50, vit-b16 "
                                          "(default: the scenario's)")
      ("arch", po::value<std::string>()->default_value("max"),
       "sub-network: compact gene string, DyNAS-T dict, min, max or random:SEED")
      ("resolution", po::value<int>(), "input resolution (OFA-MobileNetV3: 128..224 in steps of 16)")
      ("network", po::value<std::string>(), "a user's network file (YAML) instead of --space/--arch")
      ("inner-precision", po::value<std::string>(),
       "W/A: every MAC layer but the first and last with W-bit weights, the activations between at A bits "
       "(DIANA's deployment: 2/7)")
      ("scenario", po::value<std::string>(), "scenario file (default: the embedded default scenario)")
      ("format", po::value<std::string>()->default_value("table"), "output: table, json or csv");
  add_onnx_options(options);
  add_llm_options(options);
  const auto vm = parse_options("network", "[--space S --arch SPEC [--resolution R] | --network FILE | --onnx FILE [--batch N] | --llm NAME (--prefill P | --decode-at T)] [--format F]",
                                options, args);
  const std::string format = checked_choice("format", vm["format"].as<std::string>(), {"table", "json", "csv"});

  for (const char* file : {"network", "onnx"}) {
    if (vm.count(file) && vm.count("scenario")) throw InputError(std::string("--") + file + " cannot be combined with --scenario");
  }
  nlohmann::json header;
  const Network net = network_from(vm, header);

  if (format == "json") {
    std::cout << network_json(header, net).dump(2) << '\n';
    return 0;
  }

  Table table({">#", "name", "type", "operation", "inputs", ">in", ">out", ">MACs", ">params", ">weight B",
               ">in B", ">out B"});
  for (std::size_t i = 0; i < net.layers.size(); ++i) {
    const Layer& l = net.layers[i];
    const bool csv = format == "csv";
    auto num = [&](std::int64_t v) { return csv ? std::to_string(v) : with_thousands(v); };
    table.add_row({std::to_string(i), l.name, to_string(l.kind), describe_operation(l), inputs_text(net, l),
                   shape(l.batch, l.in_channels, l.in_h, l.in_w), shape(l.batch, l.out_channels, l.out_h, l.out_w),
                   num(l.macs()), num(l.params()), num(l.weight_bytes()), num(l.input_bytes()),
                   num(l.output_bytes())});
  }
  if (format == "csv") {
    table.print_csv(std::cout);
    return 0;
  }
  for (const auto& [key, value] : header.items()) std::cout << key << ": " << value.get<std::string>() << '\n';
  std::cout << "network: " << net.name << '\n' << '\n';
  table.add_rule();
  table.add_row({"", "total", "", std::to_string(net.layers.size()) + " layers",
                 std::to_string(net.mac_layer_count()) + " with MACs", "", "", with_thousands(net.total_macs()),
                 with_thousands(net.total_params()), with_thousands(net.total_weight_bytes()), "", ""});
  table.print(std::cout);
  std::cout << "\nMACs " << millions(net.total_macs()) << " M, params " << millions(net.total_params())
            << " M, weights " << millions(net.total_weight_bytes()) << " MB\n";
  return 0;
}

}  // namespace cimnet::cli
