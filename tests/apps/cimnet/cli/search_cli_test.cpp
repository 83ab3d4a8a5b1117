// cimnet search and cimnet run as a user meets them: bad method specs and run folders that cannot be
// written are refused with one line and exit 2 before any work.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>
#include <set>

#include "common/csv.hpp"
#include "common/yaml_reader.hpp"
#include "hardware/hardware.hpp"
#include "mapping/network_mapper.hpp"
#include "workloads/search_space.hpp"
#include "tests/support/run_cli.hpp"
#include "tests/support/test_support.hpp"

namespace {

using cimnet::test::contains;
using cimnet::test::Result;
using cimnet::test::run;

std::size_t lines(const std::string& s) { return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n')); }

TEST(SearchCli, MethodSpecsAreCheckedNamingTheAllowedSettings) {
  const Result setting = run("search --method linas:rerenk=0 --out /nonexistent/never-created");
  EXPECT_EQ(setting.status, 2);
  EXPECT_TRUE(contains(setting.err, "--method: method 'linas:rerenk=0': unknown setting 'rerenk'")) << setting.err;
  EXPECT_TRUE(contains(setting.err, "allowed for linas: initial, batch, population, generations, rerank")) << setting.err;
  EXPECT_EQ(lines(setting.err), 1u) << setting.err;
  const Result method = run("search --method all,linsa:rerank=0 --out /nonexistent/never-created");
  EXPECT_EQ(method.status, 2);
  EXPECT_TRUE(contains(method.err, "did you mean 'linas'")) << method.err;
  EXPECT_TRUE(contains(method.err, "linas, nsga2, random, dynast, all")) << method.err;
  const Result twice = run("search --method all,linas --out /nonexistent/never-created");
  EXPECT_EQ(twice.status, 2);
  EXPECT_TRUE(contains(twice.err, "listed twice")) << twice.err;
  EXPECT_EQ(lines(twice.err), 1u) << twice.err;

  // In a scenario: the file and the key are named.
  const auto dir = cimnet::test::scratch_dir("search-cli-methods");
  const std::string scenario = (dir / "s.yaml").string();
  std::ofstream(scenario) << "space:\n  name: ofa-mbv3\nsearch:\n  methods: [linas, \"nsga2:rerank=0\"]\n";
  const Result in_file = run("search --scenario " + scenario + " --out " + (dir / "run").string());
  EXPECT_EQ(in_file.status, 2);
  EXPECT_TRUE(contains(in_file.err, scenario + ": search.methods: method 'nsga2:rerank=0': unknown setting 'rerank'; "
                                    "allowed for nsga2: initial, batch")) << in_file.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "run")) << "refused before the run folder is made";
  std::filesystem::remove_all(dir);
}

TEST(SearchCli, ObjectivesOnTheCommandLineAreCheckedNamingTheAllowedOnes) {
  for (const std::string bad : {"accuracy,power", "accuracy", "energy,energy", "accuracy,,cycles"}) {
    const Result r = run("search --objectives " + bad + " --out /nonexistent/never-created");
    EXPECT_EQ(r.status, 2) << bad;
    EXPECT_TRUE(contains(r.err, "--objectives: ")) << r.err;
    EXPECT_EQ(lines(r.err), 1u) << r.err;
  }
  const Result unknown = run("search --objectives accuracy,enrgy --out /nonexistent/never-created");
  EXPECT_TRUE(contains(unknown.err, "did you mean 'energy'")) << unknown.err;
  EXPECT_TRUE(contains(unknown.err, "allowed: accuracy, cycles, energy, edp, area")) << unknown.err;
}

TEST(SearchCli, AnOutputThatIsAFileIsRefusedBeforeAnyWork) {
  const auto dir = cimnet::test::scratch_dir("search-cli-out-file");
  const std::string file = (dir / "a-file").string();
  std::ofstream(file) << "keep me\n";
  for (const std::string command : {"search --budget 5", "run --budget 5"}) {
    const Result r = run(command + " --out " + file);
    EXPECT_EQ(r.status, 2) << command << ": " << r.err;
    EXPECT_EQ(r.err, "cimnet " + command.substr(0, command.find(' ')) + ": --out " + file +
                         ": is a file, not a folder; name a run folder (it is created when missing)\n")
        << command;
    const Result below = run(command + " --out " + file + "/run");
    EXPECT_EQ(below.status, 2) << command << ": " << below.err;
    EXPECT_TRUE(contains(below.err, file + " is a file, not a folder")) << below.err;
    EXPECT_EQ(lines(below.err), 1u) << below.err;
  }
  std::ifstream in(file);
  std::string kept;
  std::getline(in, kept);
  EXPECT_EQ(kept, "keep me");
  std::filesystem::remove_all(dir);
}

// A folder this user cannot write. As root (who writes anywhere) the command runs as user nobody on a
// folder owned by root; otherwise the folder is made read-only.
Result run_on_read_only_folder(const std::string& args, const std::string& folder) {
  std::filesystem::create_directories(folder);
  const bool root = geteuid() == 0;
  if (!root) std::filesystem::permissions(folder, std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec);
  const std::string err_path = ::testing::TempDir() + "search_cli_ro." + std::to_string(getpid()) + ".txt";
  Result r;
  const pid_t pid = fork();
  if (pid == 0) {
    const int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0666);
    const int null = ::open("/dev/null", O_WRONLY);
    if (err < 0 || null < 0 || dup2(err, 2) < 0 || dup2(null, 1) < 0) _exit(126);
    if (root && (setgid(65534) != 0 || setuid(65534) != 0)) _exit(125);
    std::vector<std::string> words = {cimnet::test::binary()};
    std::istringstream in(args);
    for (std::string w; in >> w;) words.push_back(w);
    std::vector<char*> argv;
    for (auto& w : words) argv.push_back(w.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream e(err_path);
  std::stringstream s;
  s << e.rdbuf();
  r.err = s.str();
  std::remove(err_path.c_str());
  if (!root) std::filesystem::permissions(folder, std::filesystem::perms::owner_all);
  return r;
}

TEST(SearchCli, AReadOnlyOutputIsRefusedBeforeAnyWork) {
  const auto dir = cimnet::test::scratch_dir("search-cli-out-ro");
  std::filesystem::permissions(dir, std::filesystem::perms::all);  // reachable by another user
  const std::string folder = (dir / "ro").string();
  for (const std::string command : {"search --budget 5 --jobs 1", "run --budget 5 --jobs 1"}) {
    const Result r = run_on_read_only_folder(command + " --out " + folder, folder);
    EXPECT_EQ(r.status, 2) << command << ": " << r.err;
    EXPECT_TRUE(contains(r.err, "--out " + folder + ": the folder is not writable")) << command << ": " << r.err;
    EXPECT_EQ(lines(r.err), 1u) << r.err;
    const Result inside = run_on_read_only_folder(command + " --out " + folder + "/run", folder);
    EXPECT_EQ(inside.status, 2) << command << ": " << inside.err;
    EXPECT_TRUE(contains(inside.err, "cannot be created: " + folder + " is not writable")) << inside.err;
  }
  EXPECT_TRUE(std::filesystem::is_empty(folder));
  std::filesystem::remove_all(dir);
}

// A finished search's folder, then resumes it cannot trust: a duplicated row, other settings, garbage.
TEST(SearchCli, AResumeItCannotTrustIsRefusedInOneLine) {
  const auto dir = cimnet::test::scratch_dir("search-cli-resume");
  const std::string scenario = (dir / "s.yaml").string();
  std::ofstream(scenario) << "space:\n  name: ofa-mbv3\nsearch:\n  methods: [random]\n  budget: 4\n  initial: 2\n"
                             "  batch: 2\n  seeds: [3]\n";
  const std::string out = (dir / "run").string();
  std::filesystem::remove_all(out);
  const std::string args = "search --scenario " + scenario + " --jobs 2 --out " + out;
  ASSERT_EQ(run(args).status, 0);
  const std::string path = out + "/evaluations.csv";
  std::string text;
  {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    text = s.str();
  }
  const std::size_t row4 = [&] {  // the start of line 4: random's first point (line 3 is the reference)
    std::size_t p = 0;
    for (int i = 0; i < 3; ++i) p = text.find('\n', p) + 1;
    return p;
  }();
  const std::string duplicated = text + text.substr(row4, text.find('\n', row4) + 1 - row4);
  std::ofstream(path, std::ios::binary) << duplicated;
  const Result twice = run(args + " --resume");
  EXPECT_EQ(twice.status, 2) << twice.err;
  EXPECT_TRUE(contains(twice.err, path + ":8: point ")) << twice.err;  // 2 + 1 + 4 rows, then the copy
  EXPECT_TRUE(contains(twice.err, "appears twice for method 'random' seed 3 (first at line 4)")) << twice.err;
  EXPECT_EQ(lines(twice.err), 1u) << twice.err;

  std::ofstream(path, std::ios::binary) << text;
  // Issue 14: evaluations measured under another execution policy are never mixed in.
  const Result fused = run(args + " --resume --execution fused");
  EXPECT_EQ(fused.status, 2) << fused.err;
  EXPECT_TRUE(contains(fused.err, "execution (none) in the run folder, fused now")) << fused.err;
  EXPECT_EQ(lines(fused.err), 1u) << fused.err;
  // Nor under another choice of cycles (steady, the default, is not named in the settings).
  const Result cold = run(args + " --resume --cycles cold");
  EXPECT_EQ(cold.status, 2) << cold.err;
  EXPECT_TRUE(contains(cold.err, "cycles (none) in the run folder, cold now")) << cold.err;
  EXPECT_EQ(lines(cold.err), 1u) << cold.err;

  const Result settings = run(args + " --resume --budget 6 --seed 4");
  EXPECT_EQ(settings.status, 2) << settings.err;
  EXPECT_TRUE(contains(settings.err, "budget 4 in the run folder, 6 now; seeds 3 in the run folder, 4 now")) << settings.err;
  EXPECT_EQ(lines(settings.err), 1u) << settings.err;

  std::string garbage = "\x7f" "ELF\x02\x01\x01";
  for (int i = 0; i < 4000; ++i) garbage += static_cast<char>((i * 131 + 7) % 256);
  std::ofstream(path, std::ios::binary) << garbage;
  const Result junk = run(args + " --resume");
  EXPECT_EQ(junk.status, 2) << junk.err;
  EXPECT_TRUE(contains(junk.err, path + ": is not an evaluations file of this version of cimnet search (its first "
                                         "line is '\\x7fELF\\x02\\x01\\x01")) << junk.err;
  EXPECT_EQ(lines(junk.err), 1u) << junk.err;
  EXPECT_LT(junk.err.size(), 400u) << junk.err;
  EXPECT_TRUE(std::all_of(junk.err.begin(), junk.err.end(), [](char c) {
    return c == '\n' || (static_cast<unsigned char>(c) >= 0x20 && static_cast<unsigned char>(c) < 0x7f);
  })) << "bytes of the file reached the terminal";
  std::filesystem::remove_all(dir);
}

// Issue 14: under fused the search counts the inference the run chose. Its run settings name a cold
// choice (steady, the default, is not named: earlier run folders resume), and every evaluation's
// `cycles` is that inference's, beside both cold and steady cycles.
TEST(SearchCli, TheChosenInferenceIsRecordedAndCounted) {
  const auto dir = cimnet::test::scratch_dir("search-cli-cycles");
  const std::string scenario = (dir / "s.yaml").string();
  std::ofstream(scenario) << "space:\n  name: ofa-mbv3\nexecution: fused\nsearch:\n  methods: [random]\n"
                             "  budget: 2\n  initial: 2\n  batch: 2\n  seeds: [3]\n";
  for (const std::string choice : {"cold", "steady", ""}) {
    const std::string out = (dir / ("run-" + choice)).string();
    std::filesystem::remove_all(out);
    const Result r = run("search --scenario " + scenario + " --jobs 2 --out " + out +
                         (choice.empty() ? "" : " --cycles " + choice));
    ASSERT_EQ(r.status, 0) << r.err;
    std::ifstream in(out + "/evaluations.csv");
    std::string first;
    std::getline(in, first);
    EXPECT_TRUE(contains(first, " execution=fused")) << first;
    EXPECT_EQ(contains(first, " cycles=cold"), choice == "cold") << first;
    EXPECT_FALSE(contains(first, " cycles=steady")) << first;
    const cimnet::CsvTable t = cimnet::read_csv(out + "/evaluations.csv", cimnet::CsvComments::leading);
    ASSERT_EQ(t.rows.size(), 3u);  // the reference and 2
    const std::string chosen = choice == "cold" ? "cold" : "steady";
    int warm_faster = 0;
    for (const auto& row : t.rows) {
      ASSERT_EQ(row[t.column("status")], "ok") << row[t.column("message")];
      const auto value = [&](const std::string& c) { return std::stoll(row[t.column(c)]); };
      EXPECT_EQ(value("cycles"), value(chosen + "_cycles"));
      EXPECT_EQ(value("analytical_cycles"), value("analytical_" + chosen + "_cycles"));
      EXPECT_LE(value("steady_cycles"), value("cold_cycles"));
      warm_faster += value("steady_cycles") < value("cold_cycles") ? 1 : 0;
    }
    EXPECT_GT(warm_faster, 0) << "OFA-MobileNetV3 keeps weights resident under fused";
  }
  std::filesystem::remove_all(dir);
}

// Issue 14: `--execution searched` makes the policy one more gene. A small real search (SystemC in
// forked workers) records both policies, each row's `execution` the policy its cycles were measured
// under: its analytical cycles are exactly the mapper's estimate of that candidate under that policy
// (and not under the other), its cycles exactly what `cimnet simulate` gives it under that policy.
// The front says which policy each design runs; `cimnet run` takes the value too.
TEST(SearchCli, ASearchedPolicyIsEachCandidatesOwn) {
  const auto dir = cimnet::test::scratch_dir("search-cli-gene");
  const std::string scenario = (dir / "s.yaml").string();
  std::ofstream(scenario) << "space:\n  name: ofa-mbv3\nsearch:\n  methods: [random]\n  budget: 4\n  initial: 2\n"
                             "  batch: 2\n  seeds: [3]\n";
  const std::string out = (dir / "run").string();
  const Result r = run("search --scenario " + scenario + " --execution searched --jobs 2 --out " + out);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(contains(r.err, "execution policy searched (one more gene)")) << r.err;
  EXPECT_TRUE(contains(r.out, "area   execution       hardware")) << r.out;
  {
    std::ifstream in(out + "/evaluations.csv");
    std::string first;
    std::getline(in, first);
    EXPECT_TRUE(contains(first, " execution=searched")) << first;
  }
  const cimnet::CsvTable t = cimnet::read_csv(out + "/evaluations.csv", cimnet::CsvComments::leading);
  ASSERT_EQ(t.rows.size(), 5u);  // the reference and 4
  EXPECT_EQ(t.header.back(), "execution");
  const auto space = cimnet::make_space("ofa-mbv3");
  const cimnet::HardwareSpace hardware = cimnet::HardwareSpace::defaults();
  std::set<std::string> policies;
  std::map<std::string, std::size_t> one_row_of;  // policy -> a random row measured under it
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    const auto& row = t.rows[i];
    ASSERT_EQ(row[t.column("status")], "ok") << row[t.column("message")];
    const std::string policy = row[t.column("execution")];
    if (row[t.column("method")] == "reference") {
      EXPECT_EQ(policy, "layer-by-layer") << "the reference runs the CiMNet-like baseline";
      continue;
    }
    policies.insert(policy);
    one_row_of.emplace(policy, i);
    cimnet::HardwareConfig config = hardware.reference_config();
    for (std::size_t p = 0; p < cimnet::kHwParamCount; ++p) {
      config.values[p] = std::stoll(row[t.column(cimnet::hw_param_names()[p])]);
    }
    const cimnet::Network network = space->build(space->parse(row[t.column("genome")]));
    const cimnet::Execution own = cimnet::parse_execution(policy, "row");
    const cimnet::Execution other =
        own == cimnet::Execution::Fused ? cimnet::Execution::LayerByLayer : cimnet::Execution::Fused;
    const auto estimate = [&](cimnet::Execution e) {
      // The search's objective: steady cycles (which also choose the pipelined segmentation).
      return cimnet::estimate_network(network, config, nullptr, e, cimnet::CyclesOf::Steady).analytical_steady_cycles;
    };
    EXPECT_EQ(std::stoll(row[t.column("analytical_cycles")]), estimate(own)) << row[t.column("genome")];
    EXPECT_NE(estimate(own), estimate(other)) << "the policy must matter for the check to mean anything";
  }
  EXPECT_EQ(policies, (std::set<std::string>{"layer-by-layer", "fused", "pipelined"}));
  // The SystemC cycles of one row under each policy, from `cimnet simulate` on the same point.
  for (const auto& [policy, i] : one_row_of) {
    const auto& row = t.rows[i];
    std::string hw;
    for (const auto& n : cimnet::hw_param_names()) hw += " --hw " + n + "=" + row[t.column(n)];
    const std::string report = (dir / (policy + ".json")).string();
    const Result sim = run("simulate --space ofa-mbv3 --arch " + row[t.column("genome")] + hw + " --execution " +
                           policy + " --report " + report);
    ASSERT_EQ(sim.status, 0) << sim.err;
    const auto j = nlohmann::json::parse(cimnet::read_text_file(report, "report"));
    EXPECT_EQ(j.at("totals").at("simulated_cycles").get<long long>(), std::stoll(row[t.column("cycles")])) << policy;
  }
  const cimnet::CsvTable front = cimnet::read_csv(out + "/front.csv");
  ASSERT_FALSE(front.rows.empty());
  EXPECT_EQ(front.header.back(), "execution");

  // The main job takes the value (and names it in its run settings).
  const std::string main_job = (dir / "main").string();
  const Result m = run("run --execution searched --budget 1 --seed 3 --jobs 2 --out " + main_job);
  ASSERT_EQ(m.status, 0) << m.err;
  std::ifstream in(main_job + "/evaluations.csv");
  std::string first;
  std::getline(in, first);
  EXPECT_TRUE(contains(first, " execution=searched")) << first;
  std::filesystem::remove_all(dir);
}

// Issue 16: the shipped accuracy-cycles-energy experiment, its sizes cut down to a test's (the same
// file otherwise: space, policy, energy table, objectives; no re-rank, which costs a mapping search per
// candidate and is tested on its own: SearchLoop and SimulationEvaluator.AnalyticalFiguresAre...).
// Every evaluation measures energy, LINAS fits and scores an energy predictor, and the front is the
// three-dimensional one: no front point dominates another, every other point is dominated.
TEST(SearchCli, TheShippedEnergyExperimentSearchesThreeObjectives) {
  const auto dir = cimnet::test::scratch_dir("search-cli-energy");
  std::ifstream shipped(cimnet::test::source_dir() / "scenarios" / "experiments" / "ofa-mbv3-energy.yaml");
  std::stringstream text;
  text << shipped.rdbuf();
  std::string yaml = text.str();
  const std::map<std::string, std::string> smaller = {{"budget: 250", "budget: 10"},    {"initial: 50", "initial: 6"},
                                                      {"batch: 25", "batch: 4"},        {"population: 50", "population: 8"},
                                                      {"generations: 400", "generations: 3"}, {"rerank: 8", "rerank: 0"},
                                                      {"methods: [linas, random, nsga2]", "methods: [linas]"}};
  for (const auto& [from, to] : smaller) {
    const auto at = yaml.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    yaml.replace(at, from.size(), to);
  }
  const std::string scenario = (dir / "energy.yaml").string();
  std::ofstream(scenario) << yaml;
  const std::string out = (dir / "run").string();
  const Result r = run("search --scenario " + scenario + " --jobs 2 --out " + out);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "objectives: accuracy, cycles, energy")) << r.out;
  EXPECT_TRUE(contains(r.out, "energy uJ")) << r.out;

  const cimnet::CsvTable t = cimnet::read_csv(out + "/evaluations.csv", cimnet::CsvComments::leading);
  ASSERT_EQ(t.rows.size(), 11u);  // the reference and 10
  std::vector<std::vector<double>> points;  // LINAS's, (−accuracy, cycles, energy)
  for (const auto& row : t.rows) {
    ASSERT_EQ(row[t.column("status")], "ok") << row[t.column("message")];
    EXPECT_GT(std::stod(row[t.column("energy_pj")]), 0);
    EXPECT_GT(std::stod(row[t.column("analytical_energy_pj")]), 0);
    if (row[t.column("method")] != "linas") continue;
    points.push_back({-std::stod(row[t.column("accuracy")]), std::stod(row[t.column("cycles")]),
                      std::stod(row[t.column("energy_pj")])});
  }
  const auto dominates = [](const std::vector<double>& a, const std::vector<double>& b) {
    bool better = false;
    for (std::size_t k = 0; k < a.size(); ++k) {
      if (a[k] > b[k]) return false;
      better = better || a[k] < b[k];
    }
    return better;
  };
  const cimnet::CsvTable front = cimnet::read_csv(out + "/front.csv", cimnet::CsvComments::leading);
  ASSERT_FALSE(front.rows.empty());
  std::vector<std::vector<double>> on_front;
  for (const auto& row : front.rows) {
    on_front.push_back({-std::stod(row[front.column("accuracy")]), std::stod(row[front.column("cycles")]),
                        std::stod(row[front.column("energy_pj")])});
  }
  for (const auto& a : on_front) {
    for (const auto& b : on_front) EXPECT_FALSE(dominates(a, b));
  }
  for (const auto& p : points) {
    // front.csv prints fewer digits than evaluations.csv: the same point within rounding.
    const bool listed = std::any_of(on_front.begin(), on_front.end(), [&](const std::vector<double>& f) {
      for (std::size_t k = 0; k < f.size(); ++k) {
        if (std::abs(f[k] - p[k]) > 1e-6 * std::abs(p[k])) return false;
      }
      return true;
    });
    bool dominated = false;
    for (const auto& f : on_front) dominated = dominated || dominates(f, p);
    EXPECT_TRUE(listed || dominated) << "a point neither on the front nor dominated by it";
  }
  const cimnet::CsvTable its = cimnet::read_csv(out + "/iterations.csv", cimnet::CsvComments::leading);
  bool scored = false;
  for (const auto& row : its.rows) scored = scored || !row[its.column("tau_energy")].empty();
  EXPECT_TRUE(scored) << "LINAS's energy predictor was never scored on a batch";
  std::ifstream in(out + "/evaluations.csv");
  std::string first;
  std::getline(in, first);
  EXPECT_TRUE(contains(first, " objectives=accuracy.cycles.energy")) << first;
  std::filesystem::remove_all(dir);
}

// Issue 17: the shipped experiment whose digital core's grid is a gene, cut to a test's size (a hardware
// search of random designs, SystemC evaluations): each row's SystemC cycles are those `cimnet simulate`
// gives the design its columns name, grid included, and the outputs name the grid. A gene the scenario
// gets wrong is refused in one line before any work.
TEST(SearchCli, TheDigitalGridExperimentSearchesTheCoresSize) {
  const auto dir = cimnet::test::scratch_dir("search-cli-grid");
  const std::string shipped = (cimnet::test::source_dir() / "scenarios/experiments/ofa-mbv3-digital-grid.yaml").string();
  std::string yaml = cimnet::read_text_file(shipped, "scenario");
  const std::map<std::string, std::string> smaller = {{"budget: 250", "budget: 3"}, {"initial: 50", "initial: 2"},
                                                      {"batch: 25", "batch: 1"},  {"mode: joint", "mode: hw"},
                                                      {"methods: [linas, random, nsga2]", "methods: [random]"},
                                                      {"area_budget: 1.0", "area_budget: 0"}};
  for (const auto& [from, to] : smaller) {
    const auto at = yaml.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    yaml.replace(at, from.size(), to);
  }
  const std::string scenario = (dir / "grid.yaml").string();
  std::ofstream(scenario) << yaml;
  const std::string out = (dir / "run").string();
  const Result r = run("search --scenario " + scenario + " --jobs 2 --out " + out);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(contains(r.out, " pe.rows=")) << r.out;
  const cimnet::CsvTable t = cimnet::read_csv(out + "/evaluations.csv", cimnet::CsvComments::leading);
  ASSERT_EQ(t.rows.size(), 4u);  // the reference and 3
  const auto& row = t.rows.back();
  ASSERT_EQ(row[t.column("status")], "ok") << row[t.column("message")];
  std::string hw;
  for (const auto& n : cimnet::hw_param_names()) hw += " --hw " + n + "=" + row[t.column(n)];
  hw += " --hw pe.rows=" + row[t.column("pe.rows")] + " --hw pe.cols=" + row[t.column("pe.cols")];
  const std::string report = (dir / "row.json").string();
  const Result sim = run("simulate --scenario " + scenario + " --engine systemc" + hw + " --report " + report);
  ASSERT_EQ(sim.status, 0) << sim.err;
  const auto j = nlohmann::json::parse(cimnet::read_text_file(report, "report"));
  EXPECT_EQ(j.at("totals").at("simulated_cycles").get<long long>(), std::stoll(row[t.column("cycles")]));
  const cimnet::CsvTable front = cimnet::read_csv(out + "/front.csv");
  EXPECT_EQ(front.header.back(), "pe.cols");

  std::string bad = yaml;
  bad.replace(bad.find("pe.rows: [8, 16, 32]"), 20, "pe.rows: [8, 32]");
  std::ofstream(scenario) << bad;
  const Result refused = run("search --scenario " + scenario + " --out " + (dir / "bad").string());
  EXPECT_EQ(refused.status, 2);
  EXPECT_TRUE(contains(refused.err, "grid.yaml:16: scenario.hardware.choices.pe.rows: the core's own rows (16) is the "
                                    "reference design and must be one of the choices"))
      << refused.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "bad"));
  std::filesystem::remove_all(dir);
}

}  // namespace
