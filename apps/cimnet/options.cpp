#include "apps/cimnet/options.hpp"

#include <algorithm>
#include <sstream>

#include "common/error.hpp"
#include "common/text.hpp"

namespace cimnet::cli {

po::variables_map parse_options(const std::string& command, const std::string& usage,
                                const po::options_description& options, const Args& args) {
  po::options_description all(options);
  all.add_options()("help,h", "show this help");
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(all).style(po::command_line_style::unix_style).run(), vm);
    if (vm.count("help")) {
      std::ostringstream text;
      text << "usage: cimnet " << command << " " << usage << "\n\n" << all << "\n";
      throw HelpRequested{text.str()};
    }
    po::notify(vm);
  } catch (const po::error& e) {
    throw InputError(std::string(e.what()) + " (see 'cimnet " + command + " --help')");
  }
  return vm;
}

Scenario scenario_from(const po::variables_map& vm) {
  if (vm.count("scenario")) return load_scenario(vm["scenario"].as<std::string>());
  return default_scenario();
}

std::string checked_choice(const std::string& option, const std::string& value,
                           const std::vector<std::string>& allowed) {
  if (std::find(allowed.begin(), allowed.end(), value) != allowed.end()) return value;
  throw InputError("--" + option + " '" + value + "' is not allowed" + did_you_mean(value, allowed) +
                   "; allowed: " + join(allowed, ", "));
}

}  // namespace cimnet::cli
