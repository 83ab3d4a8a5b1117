#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "common/random.hpp"
#include "workloads/ofa_mobilenet_v3.hpp"
#include "workloads/search_space.hpp"
#include "tests/support/test_support.hpp"

namespace cimnet {
namespace {

using test::shared_dir;

namespace fs = std::filesystem;

// --- CSV ------------------------------------------------------------------------------------------

// RFC 4180 records: fields separated by ',', optionally quoted with '"' (a quoted field may hold
// commas, newlines and doubled quotes). The sub-network column is a quoted Python dict full of commas.
std::vector<std::vector<std::string>> parse_csv(const std::string& text, const std::string& source) {
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> record;
  std::string field;
  bool quoted = false;
  bool field_started = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c != '"') {
        field += c;
      } else if (i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else {
        quoted = false;
      }
      continue;
    }
    if (c == '"') {
      quoted = true;
      field_started = true;
    } else if (c == ',') {
      record.push_back(std::move(field));
      field.clear();
      field_started = true;  // a trailing ',' still opens an (empty) last field
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      if (field_started || !field.empty() || !record.empty()) {
        record.push_back(std::move(field));
        records.push_back(std::move(record));
      }
      record.clear();
      field.clear();
      field_started = false;
    } else {
      field += c;
      field_started = true;
    }
  }
  if (quoted) throw std::runtime_error(source + ": unterminated quoted field");
  if (field_started || !field.empty() || !record.empty()) {
    record.push_back(std::move(field));
    records.push_back(std::move(record));
  }
  return records;
}

std::vector<std::vector<std::string>> read_csv(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path.string());
  std::stringstream buffer;
  buffer << in.rdbuf();
  return parse_csv(buffer.str(), path.string());
}

TEST(CsvReader, ReadsQuotedFieldsWithCommasAndQuotes) {
  const auto rows = parse_csv("a,b,c\r\n\"{'x': [1, 2]}\",\"say \"\"hi\"\"\",3\n\"multi\nline\",,\n", "inline");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(rows[1], (std::vector<std::string>{"{'x': [1, 2]}", "say \"hi\"", "3"}));
  EXPECT_EQ(rows[2], (std::vector<std::string>{"multi\nline", "", ""}));
  EXPECT_THROW(parse_csv("a,\"b", "inline"), std::runtime_error);
}

// --- helpers --------------------------------------------------------------------------------------

std::unique_ptr<SearchSpace> mbv3(double width, std::vector<int> resolutions = {}) {
  return make_ofa_mobilenet_v3(width, std::move(resolutions));
}

const Layer* find_layer(const Network& net, const std::string& name) {
  for (const auto& l : net.layers) {
    if (l.name == name) return &l;
  }
  return nullptr;
}

const Layer& layer(const Network& net, const std::string& name) {
  const Layer* l = find_layer(net, name);
  if (!l) throw std::runtime_error("no layer " + name + " in " + net.name);
  return *l;
}

// Every field the mapper or the cost models could read.
bool same_layer(const Layer& a, const Layer& b) {
  return a.name == b.name && a.kind == b.kind && a.batch == b.batch && a.out_channels == b.out_channels &&
         a.in_channels == b.in_channels && a.in_h == b.in_h && a.in_w == b.in_w && a.out_h == b.out_h &&
         a.out_w == b.out_w && a.kernel_h == b.kernel_h && a.kernel_w == b.kernel_w && a.stride == b.stride &&
         a.groups == b.groups && a.bias == b.bias && a.batch_norm == b.batch_norm && a.pool == b.pool &&
         a.eltwise == b.eltwise && a.activation == b.activation && a.broadcast_second == b.broadcast_second &&
         a.weight_bits == b.weight_bits && a.input_bits == b.input_bits && a.output_bits == b.output_bits &&
         a.inputs == b.inputs;
}

void expect_same_network(const Network& a, const Network& b) {
  EXPECT_EQ(a.name, b.name);
  ASSERT_EQ(a.layers.size(), b.layers.size());
  for (std::size_t i = 0; i < a.layers.size(); ++i) {
    EXPECT_TRUE(same_layer(a.layers[i], b.layers[i])) << "layer " << i << " '" << a.layers[i].name << "'";
  }
}

std::int64_t params_without_batch_norm(const Network& net) {
  std::int64_t p = 0;
  for (const auto& l : net.layers) p += l.params() - (l.batch_norm ? 2 * l.out_channels : 0);
  return p;
}

// MACs of layers with more than one output position: the part that scales with the input area.
std::int64_t spatial_macs(const Network& net) {
  std::int64_t s = 0;
  for (const auto& l : net.layers) s += l.out_h * l.out_w > 1 ? l.macs() : 0;
  return s;
}

void expect_input_error(const std::function<void()>& f, const std::vector<std::string>& fragments) {
  try {
    f();
    ADD_FAILURE() << "expected InputError";
  } catch (const InputError& e) {
    const std::string msg = e.what();
    for (const auto& frag : fragments) EXPECT_NE(msg.find(frag), std::string::npos) << "'" << frag << "' not in: " << msg;
  }
}

Genome with_gene(Genome g, std::size_t gene, int choice) {
  g[gene] = choice;
  return g;
}

// --- exact agreement with the measured data -------------------------------------------------------

TEST(OfaMobileNetV3Data, MacsAndParamsMatchEveryMeasuredRowExactly) {
  const fs::path dir = shared_dir() / "data" / "ofa-mbv3-imagenet";
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    GTEST_SKIP() << "shared data not found at " << dir.string() << ": "
                 << (ec ? ec.message() : std::string("not a directory")) << " (set CIMNET_SHARED_DIR)";
  }
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() == ".csv") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  ASSERT_EQ(files.size(), 4u) << "expected the four DyNAS-T search runs in " << dir.string();

  const auto space = mbv3(1.0);
  std::size_t rows = 0, mismatches = 0;
  std::vector<std::string> first_mismatches;
  auto report = [&](const std::string& text) {
    ++mismatches;
    if (first_mismatches.size() < 5) first_mismatches.push_back(text);
  };
  for (const auto& file : files) {
    const auto records = read_csv(file);
    ASSERT_FALSE(records.empty()) << file.string();
    const auto& header = records[0];
    auto column = [&](const std::string& name) {
      const auto it = std::find(header.begin(), header.end(), name);
      if (it == header.end()) throw std::runtime_error(file.string() + ": no column " + name);
      return static_cast<std::size_t>(it - header.begin());
    };
    const std::size_t c_net = column("Sub-network"), c_macs = column("MACs"), c_params = column("Model Parameters");
    for (std::size_t r = 1; r < records.size(); ++r) {
      const auto& rec = records[r];
      ++rows;
      const std::string where = file.filename().string() + " row " + std::to_string(r + 1) + ": ";
      try {
        const Network net = space->build(space->parse(rec.at(c_net)));
        const long long macs = std::stoll(rec.at(c_macs)), params = std::stoll(rec.at(c_params));
        if (net.total_macs() != macs || net.total_params() != params) {
          report(where + "MACs " + std::to_string(net.total_macs()) + " vs " + std::to_string(macs) + " (diff " +
                 std::to_string(net.total_macs() - macs) + "), params " + std::to_string(net.total_params()) +
                 " vs " + std::to_string(params) + " (diff " + std::to_string(net.total_params() - params) + ")");
        }
      } catch (const std::exception& e) {
        report(where + e.what());
      }
    }
  }
  EXPECT_EQ(rows, 1819u) << "the README lists 1,819 rows";
  EXPECT_EQ(mismatches, 0u) << mismatches << " of " << rows << " rows disagree; first:\n  "
                            << [&] {
                                 std::string s;
                                 for (const auto& m : first_mismatches) s += m + "\n  ";
                                 return s;
                               }();
}

// --- space definition -----------------------------------------------------------------------------

TEST(OfaMobileNetV3, GeneGroupsAndNames) {
  for (double width : {1.0, 1.2}) {
    const auto s = mbv3(width);
    EXPECT_EQ(s->name(), width == 1.0 ? "ofa-mbv3" : "ofa-mbv3-w12");
    const auto& g = s->groups();
    ASSERT_EQ(g.size(), 4u);
    EXPECT_EQ(g[0].name, "ks");
    EXPECT_EQ(g[0].count, 20);
    EXPECT_EQ(g[0].choices, (std::vector<double>{3, 5, 7}));
    EXPECT_EQ(g[1].name, "e");
    EXPECT_EQ(g[1].count, 20);
    EXPECT_EQ(g[1].choices, (std::vector<double>{3, 4, 6}));
    EXPECT_EQ(g[2].name, "d");
    EXPECT_EQ(g[2].count, 5);
    EXPECT_EQ(g[2].choices, (std::vector<double>{2, 3, 4}));
    EXPECT_EQ(g[3].name, "r");
    EXPECT_EQ(g[3].count, 1);
    EXPECT_EQ(g[3].choices, (std::vector<double>{224}));
    EXPECT_EQ(s->gene_count(), 46u);
    EXPECT_EQ(s->gene_name(0), "ks0");
    EXPECT_EQ(s->gene_name(39), "e19");
    EXPECT_EQ(s->gene_name(44), "d4");
    EXPECT_EQ(s->gene_name(45), "r");
    EXPECT_NEAR(s->log10_genome_count(), 45 * std::log10(3.0), 1e-9);
  }
  EXPECT_EQ(make_space("ofa-mbv3")->name(), "ofa-mbv3");
  EXPECT_EQ(make_space("ofa-mbv3-w12")->name(), "ofa-mbv3-w12");
  EXPECT_EQ(make_space("ofa-mbv3", SpaceOptions{{160, 224}, {}, {}, {}})->groups()[3].choices, (std::vector<double>{160, 224}));
}

TEST(OfaMobileNetV3, SmallestAndLargestW10) {
  const auto s = mbv3(1.0);
  const Network small = s->build(s->smallest());
  const Network large = s->build(s->largest());
  EXPECT_EQ(small.total_macs(), 121278672);
  EXPECT_EQ(large.total_macs(), 566170656);
  EXPECT_EQ(small.total_params(), 3410792);
  EXPECT_EQ(large.total_params(), 7664760);
  EXPECT_DOUBLE_EQ(std::round(small.total_macs() / 1e5) / 10, 121.3);
  EXPECT_DOUBLE_EQ(std::round(large.total_macs() / 1e5) / 10, 566.2);
  // The published 7.62 M counts weights and biases only; with batch norm (as in the measured data,
  // which this generator matches exactly) the largest sub-network has 7.66 M.
  EXPECT_EQ(params_without_batch_norm(large), 7622936);
  EXPECT_DOUBLE_EQ(std::round(params_without_batch_norm(large) / 1e4) / 100, 7.62);
}

TEST(OfaMobileNetV3, SmallestAndLargestW12) {
  const auto s = mbv3(1.2);
  const Network small = s->build(s->smallest());
  const Network large = s->build(s->largest());
  EXPECT_EQ(small.total_macs(), 193078200);
  EXPECT_EQ(large.total_macs(), 843101040);
  EXPECT_EQ(small.total_params(), 4602456);
  EXPECT_EQ(large.total_params(), 10701632);
  EXPECT_DOUBLE_EQ(std::round(small.total_macs() / 1e5) / 10, 193.1);
  EXPECT_DOUBLE_EQ(std::round(large.total_macs() / 1e5) / 10, 843.1);
}

TEST(OfaMobileNetV3, StageWidths) {
  const std::map<double, std::vector<std::int64_t>> widths = {
      {1.0, {16, 16, 24, 40, 80, 112, 160, 960, 1280}},
      {1.2, {24, 24, 32, 48, 96, 136, 192, 1152, 1536}},
  };
  for (const auto& [width, w] : widths) {
    const auto s = mbv3(width);
    const Network net = s->build(s->parse("random:3"));
    EXPECT_EQ(layer(net, "first_conv").out_channels, w[0]);
    EXPECT_EQ(layer(net, "first_block.project").out_channels, w[1]);
    for (int stage = 1; stage <= 5; ++stage) {
      EXPECT_EQ(layer(net, "stage" + std::to_string(stage) + ".block1.project").out_channels, w[1 + stage]);
    }
    EXPECT_EQ(layer(net, "final_expand").out_channels, w[7]);
    EXPECT_EQ(layer(net, "feature_mix").out_channels, w[8]);
    EXPECT_EQ(layer(net, "classifier").in_channels, w[8]);
  }
}

TEST(OfaMobileNetV3, SpatialSizesAt224) {
  for (double width : {1.0, 1.2}) {
    const auto s = mbv3(width);
    const Network net = s->build(s->smallest());
    EXPECT_EQ(layer(net, "first_conv").in_h, 224);
    const std::vector<std::pair<std::string, std::int64_t>> expected = {
        {"first_conv", 112},          {"first_block.project", 112}, {"stage1.block1.project", 56},
        {"stage2.block1.project", 28}, {"stage3.block1.project", 14}, {"stage4.block1.project", 14},
        {"stage5.block1.project", 7}};
    for (const auto& [name, size] : expected) {
      EXPECT_EQ(layer(net, name).out_h, size) << name;
      EXPECT_EQ(layer(net, name).out_w, size) << name;
    }
  }
}

TEST(OfaMobileNetV3, LayerStructure) {
  const auto s = mbv3(1.0);
  const Genome g = s->parse(
      "ks=3-5-7-3-5-7-3-5-7-3-5-7-3-5-7-3-5-7-3-5:e=3-4-6-3-4-6-3-4-6-3-4-6-3-4-6-3-4-6-3-4:d=2-3-4-2-3");
  const Network net = s->build(g);

  std::set<std::string> names;
  for (const auto& l : net.layers) EXPECT_TRUE(names.insert(l.name).second) << "duplicate layer name " << l.name;

  // Block counts follow d; squeeze-excite only in stages 2, 4 and 5.
  const std::vector<int> depth = {2, 3, 4, 2, 3};
  int adds = 0, se_blocks = 0;
  for (int stage = 1; stage <= 5; ++stage) {
    for (int block = 1; block <= 4; ++block) {
      const std::string p = "stage" + std::to_string(stage) + ".block" + std::to_string(block) + ".";
      const bool present = block <= depth[stage - 1];
      EXPECT_EQ(find_layer(net, p + "expand") != nullptr, present) << p;
      if (!present) continue;
      const bool se = stage == 2 || stage == 4 || stage == 5;
      EXPECT_EQ(find_layer(net, p + "se.reduce") != nullptr, se) << p;
      // The first block of a stage changes width, so only later blocks have the identity shortcut.
      EXPECT_EQ(find_layer(net, p + "add") != nullptr, block > 1) << p;
      const ActivationOp act = stage <= 2 ? ActivationOp::ReLU : ActivationOp::HSwish;
      EXPECT_EQ(layer(net, p + "expand.act").activation, act) << p;
      EXPECT_EQ(layer(net, p + "dw.act").activation, act) << p;
      const Layer& dw = layer(net, p + "dw");
      EXPECT_EQ(dw.groups, dw.in_channels);
      EXPECT_EQ(dw.kernel_h, static_cast<std::int64_t>(s->value(g, static_cast<std::size_t>((stage - 1) * 4 + block - 1))));
      EXPECT_EQ(dw.stride, block == 1 && stage != 4 ? 2 : 1) << p;
      EXPECT_EQ(find_layer(net, p + "project.act"), nullptr);
      if (se) {
        const Layer& reduce = layer(net, p + "se.reduce");
        const Layer& expand = layer(net, p + "se.expand");
        EXPECT_TRUE(reduce.bias && !reduce.batch_norm && expand.bias && !expand.batch_norm) << p;
        EXPECT_EQ(reduce.in_channels, dw.out_channels);
        EXPECT_EQ(reduce.out_channels % 8, 0);
        EXPECT_EQ(expand.out_channels, dw.out_channels);
        EXPECT_EQ(layer(net, p + "se.pool").pool, PoolOp::GlobalAverage);
        EXPECT_EQ(layer(net, p + "se.reduce.act").activation, ActivationOp::ReLU);
        EXPECT_EQ(layer(net, p + "se.expand.act").activation, ActivationOp::HSigmoid);
        const Layer& scale = layer(net, p + "se.scale");
        EXPECT_EQ(scale.eltwise, EltwiseOp::Multiply);
        EXPECT_TRUE(scale.broadcast_second);
        ++se_blocks;
      }
      adds += block > 1 ? 1 : 0;
    }
  }
  EXPECT_EQ(se_blocks, 3 + 2 + 3);
  EXPECT_EQ(adds, (2 + 3 + 4 + 2 + 3) - 5);
  EXPECT_NE(find_layer(net, "first_block.add"), nullptr);

  // Middle width comes from the block's input width: stage 2's first block expands stage 1's 24.
  EXPECT_EQ(layer(net, "stage2.block1.expand").in_channels, 24);
  EXPECT_EQ(layer(net, "stage2.block1.expand").out_channels, 24 * static_cast<int>(s->value(g, 20 + 4)));

  for (const auto& l : net.layers) {
    if (l.kind != LayerKind::Conv) continue;
    const bool se = l.name.find(".se.") != std::string::npos;
    const bool plain = !se && l.name != "feature_mix";
    EXPECT_EQ(l.batch_norm, plain) << l.name;
    EXPECT_EQ(l.bias, se) << l.name;
  }
  EXPECT_EQ(layer(net, "first_conv.act").activation, ActivationOp::HSwish);
  EXPECT_EQ(layer(net, "first_block.dw.act").activation, ActivationOp::ReLU);
  EXPECT_EQ(layer(net, "final_expand.act").activation, ActivationOp::HSwish);
  EXPECT_EQ(layer(net, "feature_mix.act").activation, ActivationOp::HSwish);
  EXPECT_EQ(layer(net, "global_pool").pool, PoolOp::GlobalAverage);
  const Layer& fc = layer(net, "classifier");
  EXPECT_EQ(fc.kind, LayerKind::Linear);
  EXPECT_TRUE(fc.bias);
  EXPECT_EQ(fc.out_channels, 1000);
  EXPECT_EQ(net.layers.back().name, "classifier");
  const Layer& mix = layer(net, "feature_mix");
  EXPECT_EQ(mix.out_h, 1);
  EXPECT_EQ(mix.in_channels, 960);
  // A residual add consumes the block output and the block input.
  const Layer& add = layer(net, "stage1.block2.add");
  ASSERT_EQ(add.inputs.size(), 2u);
  EXPECT_EQ(net.layers[static_cast<std::size_t>(add.inputs[0])].name, "stage1.block2.project");
  EXPECT_EQ(net.layers[static_cast<std::size_t>(add.inputs[1])].name, "stage1.block1.project");
}

// --- resolution -----------------------------------------------------------------------------------

TEST(OfaMobileNetV3, ResolutionScalesSpatialMacs) {
  const auto s = mbv3(1.0, {128, 160, 224});
  const std::size_t r = s->gene_count() - 1;
  for (const Genome& base : {s->smallest(), s->largest(), s->parse("random:11")}) {
    const Network at224 = s->build(with_gene(base, r, 2));
    for (const auto& [index, side] : {std::pair<int, std::int64_t>{0, 128}, {1, 160}}) {
      const Network net = s->build(with_gene(base, r, index));
      EXPECT_EQ(layer(net, "first_conv").in_h, side);
      EXPECT_EQ(layer(net, "stage5.block1.project").out_h, side / 32);
      // Every feature map shrinks by side/224 in each dimension (224, 160 and 128 divide by 32), so
      // spatial MACs scale by the area ratio exactly; SE and the head run on 1×1 and do not change.
      EXPECT_EQ(spatial_macs(net) * 224 * 224, spatial_macs(at224) * side * side);
      EXPECT_EQ(net.total_macs() - spatial_macs(net), at224.total_macs() - spatial_macs(at224));
      EXPECT_LT(net.total_macs(), at224.total_macs());
      EXPECT_EQ(net.total_params(), at224.total_params());
    }
  }
  // The smallest genome takes the lowest resolution.
  EXPECT_EQ(s->value(s->smallest(), r), 128);
  EXPECT_EQ(s->value(s->largest(), r), 224);
}

TEST(OfaMobileNetV3, ResolutionChoicesAreValidated) {
  EXPECT_EQ(mbv3(1.0, {224, 160, 160})->groups()[3].choices, (std::vector<double>{160, 224}));
  EXPECT_EQ(mbv3(1.0, {128, 144, 160, 176, 192, 208, 224})->groups()[3].choices.size(), 7u);
  EXPECT_EQ(mbv3(1.2, {160, 176, 192, 208, 224})->groups()[3].choices.size(), 5u);
  const std::string w10 = "128, 144, 160, 176, 192, 208, 224";
  const std::string w12 = "allowed: 160, 176, 192, 208, 224";
  expect_input_error([] { mbv3(1.0, {100}); }, {"ofa-mbv3", "100", w10});
  expect_input_error([] { mbv3(1.0, {224, 232}); }, {"232", w10});
  expect_input_error([] { mbv3(1.0, {150}); }, {"150", w10});
  expect_input_error([] { mbv3(1.2, {128}); }, {"ofa-mbv3-w12", "128", w12});
  expect_input_error([] { mbv3(1.2, {144, 224}); }, {"144", w12});
  expect_input_error([] { make_space("ofa-mbv3-w12", SpaceOptions{{144}, {}, {}, {}}); }, {"144", w12});
  expect_input_error([] { mbv3(1.1); }, {"1.1", "1.0, 1.2"});
  // A resolution outside the searched list is an invalid gene value, and with several resolutions
  // r can no longer be left out of a spec.
  const auto s = mbv3(1.0, {160, 224});
  const std::string genes = "ks=3-3-3-3-3-3-3-3-3-3-3-3-3-3-3-3-3-3-3-3:e=3-3-3-3-3-3-3-3-3-3-3-3-3-3-3-3-3-3-3-3:d=2-2-2-2-2";
  EXPECT_EQ(s->value(s->parse(genes + ":r=160"), 45), 160);
  expect_input_error([&] { s->parse(genes + ":r=192"); }, {"r = 192", "choices: ", ", 224"});
  expect_input_error([&] { s->parse(genes); }, {"missing gene group 'r'"});
}

// DyNAS-T reads a dict value like 1.6e+02 as a float: whole numbers must print as integers.
TEST(OfaMobileNetV3, FormatsResolutionPlainly) {
  const auto s = mbv3(1.0, {160, 224});
  EXPECT_EQ(s->to_dynast_dict(s->smallest()).substr(s->to_dynast_dict(s->smallest()).find("'r'")), "'r': [160]}");
  const std::string compact = s->format(s->smallest());
  EXPECT_EQ(compact.substr(compact.find("r=")), "r=160");
}

// --- active genes ---------------------------------------------------------------------------------

TEST(OfaMobileNetV3, ActiveGenesFollowDepth) {
  const auto s = mbv3(1.0);
  Genome g = s->largest();
  const std::vector<int> depth_choice = {0, 1, 2, 0, 1};  // d = 2, 3, 4, 2, 3
  for (int st = 0; st < 5; ++st) g[40 + static_cast<std::size_t>(st)] = depth_choice[static_cast<std::size_t>(st)];
  const auto active = s->active_genes(g);
  ASSERT_EQ(active.size(), 46u);
  for (int st = 0; st < 5; ++st) {
    for (int j = 0; j < 4; ++j) {
      const bool expected = j < depth_choice[static_cast<std::size_t>(st)] + 2;
      const auto gene = static_cast<std::size_t>(st * 4 + j);
      EXPECT_EQ(active[gene], expected) << "ks" << gene;
      EXPECT_EQ(active[20 + gene], expected) << "e" << gene;
    }
  }
  for (std::size_t i = 40; i < 46; ++i) EXPECT_TRUE(active[i]) << s->gene_name(i);
  const Genome c = s->canonical(g);
  for (std::size_t i = 0; i < 46; ++i) EXPECT_EQ(c[i], active[i] ? g[i] : 0) << s->gene_name(i);
}

TEST(OfaMobileNetV3, InactiveGenesDoNotChangeTheNetwork) {
  for (double width : {1.0, 1.2}) {
    const auto s = mbv3(width);
    Rng rng(2024);
    for (int trial = 0; trial < 30; ++trial) {
      Genome a(s->gene_count());
      for (std::size_t i = 0; i < a.size(); ++i) a[i] = static_cast<int>(rng.uniform_int(3));
      a[45] = 0;
      a[40 + static_cast<std::size_t>(trial % 5)] = 0;  // at least one shallow stage
      const auto active = s->active_genes(a);
      Genome b = a;
      bool changed = false;
      for (std::size_t i = 0; i < b.size(); ++i) {
        if (active[i]) continue;
        b[i] = (b[i] + 1 + static_cast<int>(rng.uniform_int(2))) % 3;
        changed = true;
      }
      ASSERT_TRUE(changed);
      ASSERT_NE(a, b);
      EXPECT_EQ(s->canonical(a), s->canonical(b));
      EXPECT_TRUE(s->equivalent(a, b));
      expect_same_network(s->build(a), s->build(b));
    }
  }
}

TEST(OfaMobileNetV3, EveryActiveGeneChangesMacs) {
  for (double width : {1.0, 1.2}) {
    const auto s = width == 1.0 ? mbv3(1.0, {128, 144, 160, 176, 192, 208, 224}) : mbv3(1.2, {160, 192, 224});
    Rng rng(99);
    for (int trial = 0; trial < 5; ++trial) {
      const Genome g = s->sample(rng);
      const std::int64_t macs = s->build(g).total_macs();
      const auto active = s->active_genes(g);
      for (std::size_t i = 0; i < g.size(); ++i) {
        if (!active[i]) continue;
        for (int c = 0; c < static_cast<int>(s->group_of(i).choices.size()); ++c) {
          if (c == g[i]) continue;
          const Genome h = with_gene(g, i, c);
          EXPECT_NE(s->build(h).total_macs(), macs) << s->gene_name(i) << " -> choice " << c;
          EXPECT_FALSE(s->equivalent(g, h)) << s->gene_name(i);
        }
      }
    }
  }
}

// --- sampling and specs ---------------------------------------------------------------------------

TEST(OfaMobileNetV3, SamplingIsDeterministic) {
  const auto s = mbv3(1.0, {160, 224});
  Rng a(42), b(42), c(43);
  std::set<Genome> seen;
  for (int i = 0; i < 20; ++i) {
    const Genome ga = s->sample(a);
    EXPECT_EQ(ga, s->sample(b));
    EXPECT_EQ(ga, s->canonical(ga));
    seen.insert(ga);
  }
  EXPECT_GT(seen.size(), 15u);
  Rng a2(42);
  EXPECT_NE(s->sample(a2), s->sample(c));
  EXPECT_EQ(s->parse("random:7"), s->parse("random:7"));
  EXPECT_NE(s->parse("random:7"), s->parse("random:8"));
}

TEST(OfaMobileNetV3, SpecFormatsRoundTrip) {
  for (double width : {1.0, 1.2}) {
    for (const std::vector<int>& res : {std::vector<int>{}, std::vector<int>{160, 192, 224}}) {
      const auto s = mbv3(width, res);
      std::vector<Genome> genomes = {s->smallest(), s->largest(), s->parse("random:7")};
      Rng rng(5);
      for (int i = 0; i < 20; ++i) genomes.push_back(s->sample(rng));
      for (const Genome& g : genomes) {
        ASSERT_EQ(g, s->canonical(g));
        EXPECT_EQ(s->parse(s->format(g)), g) << s->format(g);
        const std::string dict = s->to_dynast_dict(g);
        EXPECT_EQ(dict.rfind("{'wid': None, 'ks': [", 0), 0u) << dict;
        EXPECT_EQ(s->parse(dict), g) << dict;
      }
      EXPECT_EQ(s->parse("min"), s->smallest());
      EXPECT_EQ(s->parse(" max "), s->largest());
      EXPECT_EQ(s->canonical(s->parse("random:7")), s->parse("random:7"));
      EXPECT_EQ(s->smallest(), Genome(46, 0));
    }
  }
  // Alternative separators, and r omitted when only one resolution is searched.
  const auto s = mbv3(1.0);
  const Genome g = s->parse("random:7");
  std::string spec = s->format(g);
  spec = spec.substr(0, spec.find(":r="));
  std::replace(spec.begin(), spec.end(), ':', ';');
  std::replace(spec.begin(), spec.end(), '-', ',');
  EXPECT_EQ(s->parse(spec), g) << spec;
  // A dict as DyNAS-T writes it keeps values for inactive genes; they survive a round trip as written.
  const std::string raw =
      "{'wid': None, 'ks': [5, 7, 5, 5, 3, 3, 3, 7, 5, 5, 3, 7, 7, 3, 3, 3, 5, 5, 5, 5], "
      "'e': [4, 3, 4, 4, 4, 6, 3, 4, 4, 3, 4, 3, 3, 6, 6, 6, 4, 3, 4, 4], 'd': [2, 3, 2, 4, 3], 'r': [224]}";
  const Genome parsed = s->parse(raw);
  EXPECT_EQ(s->to_dynast_dict(parsed), raw);
  EXPECT_EQ(s->parse(s->to_dynast_dict(s->canonical(parsed))), s->canonical(parsed));
}

TEST(OfaMobileNetV3, MalformedSpecsAreInputErrors) {
  const auto s = mbv3(1.0);
  const std::string ks20 = "ks=3-3-3-3-3-3-3-3-3-3-3-3-3-3-3-3-3-3-3-3";
  const std::string e20 = "e=3-3-3-3-3-3-3-3-3-3-3-3-3-3-3-3-3-3-3-3";
  EXPECT_NO_THROW(s->parse(ks20 + ":" + e20 + ":d=2-2-2-2-2"));
  expect_input_error([&] { s->parse(ks20 + ":" + e20 + ":d=2-2-2-2"); }, {"'d' needs 5 values, got 4"});
  expect_input_error([&] { s->parse("ks=3-3:" + e20 + ":d=2-2-2-2-2"); }, {"'ks' needs 20 values, got 2"});
  expect_input_error([&] { s->parse(ks20 + ":" + e20 + ":d=2-2-2-2-5"); }, {"d[4] = 5", "choices: 2, 3, 4"});
  expect_input_error([&] { s->parse(ks20.substr(0, ks20.size() - 1) + "4:" + e20 + ":d=2-2-2-2-2"); },
                     {"ks[19] = 4", "choices: 3, 5, 7"});
  expect_input_error([&] { s->parse(ks20 + ":" + e20 + ":d=2-2-2-2-2:r=192"); }, {"r = 192", "choices: 224"});
  expect_input_error([&] { s->parse(ks20 + ":" + e20 + ":dd=2-2-2-2-2"); }, {"unknown gene group 'dd'", "did you mean 'd'"});
  expect_input_error([&] { s->parse(ks20 + ":" + e20); }, {"missing gene group 'd'"});
  expect_input_error([&] { s->parse("largest"); }, {"cannot read architecture spec", "min, max, random:SEED"});
  expect_input_error([&] { s->parse("random:x"); }, {"seed"});
  expect_input_error([&] { s->parse("{'wid': None, 'ks': [3, 3], 'e': [3], 'd': [2], 'r': [224]}"); },
                     {"'ks' needs 20 values, got 2"});
  expect_input_error([&] { s->parse("{'wid': None, 'kernel': [3], 'e': [3], 'd': [2], 'r': [224]}"); },
                     {"unknown key 'kernel'"});
  expect_input_error([&] { s->parse("{'wid': [1], 'ks': [3]}"); }, {"key 'wid' of the DyNAS-T dict must be None"});
  const std::string list20 = "[3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3]";
  expect_input_error([&] { s->parse("{'wid': None, 'ks': " + list20 + ", 'e': " + list20 + ", 'r': [224]}"); },
                     {"missing key 'd'"});
  expect_input_error([&] { s->parse("{'wid': None, 'ks': " + list20 + ", 'e': " + list20 + ", 'd': [2, 2, 2, 2, 9]}"); },
                     {"d[4] = 9", "choices: 2, 3, 4"});
  expect_input_error([&] { s->check(Genome(45, 0)); }, {"46 genes, got 45"});
  expect_input_error([&] { s->build(with_gene(Genome(46, 0), 3, 3)); }, {"ks3", "0..2"});
}

TEST(OfaMobileNetV3, EveryBuiltNetworkValidates) {
  for (double width : {1.0, 1.2}) {
    const auto s = width == 1.0 ? mbv3(1.0, {128, 144, 160, 176, 192, 208, 224}) : mbv3(1.2, {160, 176, 192, 208, 224});
    std::vector<Genome> genomes = {s->smallest(), s->largest()};
    Rng rng(17);
    for (int i = 0; i < 100; ++i) genomes.push_back(s->sample(rng));
    for (const Genome& g : genomes) {
      const Network net = s->build(g);
      EXPECT_NO_THROW(net.validate()) << net.name;
      EXPECT_GT(net.total_macs(), 0);
      EXPECT_EQ(net.layers.front().inputs, std::vector<int>{-1});
      EXPECT_EQ(net.layers.back().out_channels, 1000);
    }
  }
}

}  // namespace
}  // namespace cimnet
