// A design as components and links (hardware/component_graph.hpp; issue 17): the CiMNet template and
// heterogeneous spaces describe themselves and come back unchanged, and every description the timed
// model cannot elaborate is refused naming the component or link.
#include <gtest/gtest.h>

#include <string>

#include "hardware/component_graph.hpp"

namespace cimnet {
namespace {

ComponentGraph minimal() {
  ComponentGraph g;
  g.components = {{"mem", ComponentKind::Dram, {}, {}},
                  {"gb", ComponentKind::Buffer, {}, {}},
                  {"simd", ComponentKind::VectorUnit, {}, {}},
                  {"arrays", ComponentKind::CimArrays, {}, {}}};
  g.links = {{"mem", "gb", std::nullopt, std::nullopt},
             {"gb", "simd", std::nullopt, std::nullopt},
             {"gb", "arrays", std::nullopt, std::nullopt}};
  return g;
}

Component core_component(const std::string& name) {
  DigitalCore d;
  d.name = name;
  return {name, ComponentKind::DigitalCore, {}, d};
}

std::string fault_of(const ComponentGraph& g) {
  const auto f = check_components(g);
  return f ? f->message : "";
}

void expect_same_space(const HardwareSpace& a, const HardwareSpace& b) {
  EXPECT_EQ(a.choices, b.choices);
  EXPECT_EQ(a.reference, b.reference);
  for (const auto& name : fixed_param_names()) EXPECT_EQ(get_fixed(a.fixed, name), get_fixed(b.fixed, name)) << name;
  EXPECT_EQ(a.cim_arrays, b.cim_arrays);
  ASSERT_EQ(a.digital_cores.size(), b.digital_cores.size());
  for (std::size_t i = 0; i < a.digital_cores.size(); ++i) {
    const DigitalCore &x = a.digital_cores[i], &y = b.digital_cores[i];
    EXPECT_EQ(x.name, y.name);
    EXPECT_EQ(x.rows, y.rows);
    EXPECT_EQ(x.cols, y.cols);
    EXPECT_EQ(x.row_dims, y.row_dims);
    EXPECT_EQ(x.col_dims, y.col_dims);
    EXPECT_EQ(x.precisions, y.precisions);
    EXPECT_EQ(x.weight_precisions, y.weight_precisions);
    EXPECT_EQ(x.port_bytes_per_cycle, y.port_bytes_per_cycle);
    EXPECT_EQ(x.link_latency, y.link_latency);
    EXPECT_EQ(x.weight_slots, y.weight_slots);
  }
}

TEST(ComponentGraph, TheCimnetTemplateDescribesItselfAndComesBackUnchanged) {
  const HardwareSpace space = HardwareSpace::defaults();
  const ComponentGraph g = describe_components(space);
  EXPECT_FALSE(check_components(g).has_value()) << fault_of(g);
  // DRAM, its buffer, the vector unit and the tree; the searched bandwidths stay the space's choices.
  ASSERT_EQ(g.components.size(), 4U);
  EXPECT_EQ(g.components[3].kind, ComponentKind::CimArrays);
  EXPECT_FALSE(g.links[0].bandwidth.has_value());
  EXPECT_FALSE(g.components[1].properties.count("bandwidth"));
  EXPECT_TRUE(searched_parameters_set(g).empty());
  HardwareSpace back = HardwareSpace::defaults();
  back.fixed = MicroArch{};
  back.fixed.gb_bytes = 7;  // overwritten by the description
  apply_components(g, back);
  expect_same_space(space, back);
}

TEST(ComponentGraph, ADesignWithCoresAndSingleBandwidthsComesBackUnchanged) {
  HardwareSpace space = HardwareSpace::defaults();
  space.choices[static_cast<std::size_t>(HwParam::DRAM_bw)] = {16};
  space.reference[static_cast<std::size_t>(HwParam::DRAM_bw)] = 0;
  space.cim_arrays = false;
  DigitalCore a;
  a.name = "dram";  // a core may take any name: the template's own components step aside
  a.port_bytes_per_cycle = 32;
  a.link_latency = 5;
  DigitalCore b;
  b.name = "pe";
  space.digital_cores = {a, b};
  const ComponentGraph g = describe_components(space);
  EXPECT_FALSE(check_components(g).has_value()) << fault_of(g);
  EXPECT_EQ(g.components[0].name, "dram_");
  EXPECT_EQ(g.links[0].bandwidth, 16);
  EXPECT_EQ(searched_parameters_set(g), std::vector<HwParam>{HwParam::DRAM_bw});
  HardwareSpace back = HardwareSpace::defaults();
  apply_components(g, back);
  expect_same_space(space, back);
}

TEST(ComponentGraph, ADanglingLinkIsNamedWithTheComponentItMisses) {
  ComponentGraph g = minimal();
  g.links.push_back({"gb", "digital", 8, 2});
  const auto f = check_components(g);
  ASSERT_TRUE(f.has_value());
  EXPECT_TRUE(f->in_link);
  EXPECT_EQ(f->index, 3U);
  EXPECT_EQ(f->message,
            "link from 'gb' to 'digital' is dangling: no component is named 'digital' (components: mem, gb, simd, "
            "arrays)");
}

TEST(ComponentGraph, ACoreWithoutAPathToDramIsNamed) {
  ComponentGraph g = minimal();
  g.components.push_back(core_component("pe"));
  auto f = check_components(g);
  ASSERT_TRUE(f.has_value());
  EXPECT_FALSE(f->in_link);
  EXPECT_EQ(f->index, 4U);
  EXPECT_EQ(f->message, "digital core 'pe' has no path to DRAM 'mem': no link reaches it (links: - {from: PARENT, to: pe})");
  // Under a buffer that nothing reaches: whichever comes first is named (a second buffer is refused
  // only once every component has a path).
  g.components.push_back({"island", ComponentKind::Buffer, {}, {}});
  g.links.push_back({"island", "pe", 8, 2});
  EXPECT_EQ(fault_of(g), "digital core 'pe' has no path to DRAM 'mem': it hangs under 'island', which no link reaches");
  std::swap(g.components[4], g.components[5]);
  EXPECT_EQ(fault_of(g), "buffer 'island' has no path to DRAM 'mem': no link reaches it (links: - {from: PARENT, to: island})");
}

TEST(ComponentGraph, ShapesTheModelCannotElaborateAreRefused) {
  ComponentGraph g = minimal();
  g.components.push_back(core_component("pe"));
  g.components.push_back(core_component("pe2"));
  g.links.push_back({"gb", "pe", 8, 2});
  g.links.push_back({"pe", "pe2", 8, 2});
  EXPECT_EQ(fault_of(g), "link from 'pe' to 'pe2' joins a digital_core to a digital_core, which the model cannot "
                         "place: the timed model elaborates dram -> buffer, then buffer -> vector_unit, cim_arrays "
                         "and digital_core");
  g.links.back() = {"mem", "pe2", 8, 2};
  EXPECT_NE(fault_of(g).find("joins a dram to a digital_core"), std::string::npos);
  g.links.back() = {"gb", "pe", 8, 2};
  EXPECT_EQ(fault_of(g), "link from 'gb' to 'pe': digital core 'pe' is already linked from 'gb'; each component hangs "
                         "under one parent");
  g.links.pop_back();
  g.links.push_back({"gb", "pe2", std::nullopt, std::nullopt});
  EXPECT_EQ(fault_of(g), "");
  g.links[1].bandwidth = 64;  // gb -> simd
  EXPECT_EQ(fault_of(g), "link from 'gb' to 'simd' takes no bandwidth or latency: the vector unit reads the buffer "
                         "at the buffer's `port`");
  g.links[1].bandwidth.reset();
  g.links[0].bandwidth = 100000;
  EXPECT_EQ(fault_of(g), "link from 'mem' to 'gb': bandwidth = 100000 is out of range; allowed 1 to 65536 B/cycle "
                         "(it is DRAM_bw)");
  g.links[0].bandwidth.reset();
  g.links[0].latency = 3;
  EXPECT_EQ(fault_of(g), "link from 'mem' to 'gb': the DRAM interface takes a bandwidth only; its latency is DRAM "
                         "'mem''s own `latency`");
}

TEST(ComponentGraph, CountsOfEachKindAreTheModelsOwn) {
  ComponentGraph g = minimal();
  g.components.push_back({"mem2", ComponentKind::Dram, {}, {}});
  EXPECT_EQ(fault_of(g), "DRAM 'mem2' is a second DRAM; the timed model has one (first: 'mem')");
  g = minimal();
  g.components.push_back({"gb2", ComponentKind::Buffer, {}, {}});
  g.links.push_back({"mem", "gb2", std::nullopt, std::nullopt});
  EXPECT_EQ(fault_of(g), "buffer 'gb2' is a second buffer under the DRAM; the timed model has one (first: 'gb')");
  g = minimal();
  g.components.erase(g.components.begin() + 2);
  g.links.erase(g.links.begin() + 1);
  EXPECT_EQ(fault_of(g), "needs a component of kind vector_unit under the buffer (the element-wise layers run there)");
  g = minimal();
  g.components.pop_back();
  g.links.pop_back();
  EXPECT_EQ(fault_of(g), "needs a unit that runs MAC layers: a cim_arrays or a digital_core");
  g = minimal();
  g.components[1].name = "mem";
  EXPECT_EQ(fault_of(g), "component 'mem' is described twice");
  g = minimal();
  g.components[1].properties["capacity"] = 0;
  EXPECT_EQ(fault_of(g), "buffer 'gb': capacity = 0 is out of range; allowed 1 to 1000000000000 bytes");
  g.components[1].properties = {{"lanes", 4}};
  EXPECT_EQ(fault_of(g), "buffer 'gb' takes no property 'lanes'");
}

TEST(ComponentGraph, PropertiesLandOnTheParametersTheyName) {
  ComponentGraph g = minimal();
  g.components[0].properties["latency"] = 40;
  g.components[1].properties = {{"capacity", 1 << 18}, {"port", 64}, {"access_latency", 3}, {"bandwidth", 128},
                                {"latency", 6}};
  g.components[2].properties["lanes"] = 16;
  g.links[0].bandwidth = 32;
  ASSERT_EQ(fault_of(g), "");
  HardwareSpace s = HardwareSpace::defaults();
  apply_components(g, s);
  EXPECT_EQ(s.fixed.dram_latency, 40);
  EXPECT_EQ(s.fixed.gb_bytes, 1 << 18);
  EXPECT_EQ(s.fixed.gb_bw, 64);
  EXPECT_EQ(s.fixed.gb_latency, 3);
  EXPECT_EQ(s.fixed.l2_latency, 6);
  EXPECT_EQ(s.fixed.vector_lanes, 16);
  EXPECT_EQ(s.choices[static_cast<std::size_t>(HwParam::L2_bw)], std::vector<std::int64_t>{128});
  EXPECT_EQ(s.choices[static_cast<std::size_t>(HwParam::DRAM_bw)], std::vector<std::int64_t>{32});
  EXPECT_TRUE(s.cim_arrays);
  EXPECT_EQ(fixed_parameters_set(g),
            (std::vector<std::string>{"dram_latency", "gb_bytes", "gb_bw", "gb_latency", "l2_latency", "vector_lanes"}));
  EXPECT_EQ(searched_parameters_set(g), (std::vector<HwParam>{HwParam::DRAM_bw, HwParam::L2_bw}));
}

}  // namespace
}  // namespace cimnet
