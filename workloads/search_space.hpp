#pragma once
// An elastic search space: a gene vector in, the exact layer list of its sub-network out.
//
// Genes come in named groups (MobileNetV3: ks, e, d, r); a genome holds one choice index per gene,
// group after group. Genes that do not affect the network (the kernel of a block beyond its stage's
// depth) are inactive; the canonical form sets them to their first choice and folds any other aliases
// of the space, so two encodings of one network canonicalise to the same genome.
//
// Spec formats accepted by parse():
//   compact   "ks=3-5-7-…:e=4-6-…:d=2-3-4-2-3:r=224"  groups separated by ':' (or ';' or spaces),
//             values by '-' (or ','); a group with a single choice may be omitted
//   DyNAS-T   "{'wid': None, 'ks': [3, 5, …], 'e': […], 'd': […], 'r': [224]}"  (or as JSON, with null)
// A group or key given twice is an error, never last-one-wins.
//   min, max  the smallest and largest sub-network
//   random:S  a uniform sample from seed S
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/random.hpp"
#include "workloads/inner_precision.hpp"
#include "workloads/network.hpp"
#include "workloads/onnx_graph.hpp"

namespace cimnet {

using Genome = std::vector<int>;

struct GeneGroup {
  std::string name;             // key in DyNAS-T dicts: "ks", "num_attention_heads"
  std::string description;      // "kernel size of each block"
  std::vector<double> choices;  // allowed values, ascending
  int count = 1;                // genes in the group
  // Name in compact specs and column headers when `name` is long ("h" for num_attention_heads);
  // empty: `name`. Both names are accepted wherever a group is named.
  std::string short_name = {};

  const std::string& spec_name() const { return short_name.empty() ? name : short_name; }
  bool named(const std::string& key) const { return key == name || (!short_name.empty() && key == short_name); }
};

class SearchSpace {
 public:
  virtual ~SearchSpace() = default;
  SearchSpace(const SearchSpace&) = delete;
  SearchSpace& operator=(const SearchSpace&) = delete;

  const std::string& name() const { return name_; }
  const std::vector<GeneGroup>& groups() const { return groups_; }
  std::size_t gene_count() const { return gene_group_.size(); }
  // "ks7" for gene 7 of group ks (the group's spec_name); unique, used as a column name.
  std::string gene_name(std::size_t gene) const;
  const GeneGroup& group_of(std::size_t gene) const { return groups_[gene_group_[gene]]; }
  // Value of a gene in a genome (choice index resolved through its group).
  double value(const Genome& genome, std::size_t gene) const;
  // Values of one whole group, in gene order.
  std::vector<double> group_values(const Genome& genome, const std::string& group) const;
  // log10 of the number of genomes (not distinct networks).
  double log10_genome_count() const;

  // The sub-network's layers, in execution order, at the space's precision: 8 bits, or the inner
  // precision the options set (workloads/inner_precision.hpp). The genome need not be canonical.
  Network build(const Genome& genome) const { return with_inner_precision(build_layers(genome), inner_precision_); }
  // Deploys every sub-network this space builds at `p` (make_space applies SpaceOptions's).
  void set_inner_precision(const InnerPrecision& p) { inner_precision_ = p; }
  const InnerPrecision& inner_precision() const { return inner_precision_; }
  // One flag per gene: does it change the network?
  virtual std::vector<bool> active_genes(const Genome& genome) const = 0;

  Genome canonical(const Genome& genome) const;
  bool equivalent(const Genome& a, const Genome& b) const { return canonical(a) == canonical(b); }
  Genome smallest() const;  // every gene at its smallest choice
  Genome largest() const;   // every gene at its largest choice
  Genome sample(Rng& rng) const;  // each gene uniform over its choices; returned canonical

  // Throws InputError when the genome has the wrong length or a choice index out of range.
  void check(const Genome& genome) const;

  std::string format(const Genome& genome) const;          // compact spec
  std::string to_dynast_dict(const Genome& genome) const;  // DyNAS-T dict
  Genome parse(const std::string& spec) const;             // any spec format (see the file comment)

 protected:
  SearchSpace(std::string name, std::vector<GeneGroup> groups, std::vector<std::string> ignored_dict_keys = {});
  // The sub-network as the space defines it (8-bit layers).
  virtual Network build_layers(const Genome& genome) const = 0;
  // Space-specific aliases beyond inactive genes (e.g. two values that build the same layer).
  virtual void fold_aliases(Genome& /*genome*/) const {}
  // Index of the first gene of a group (throws std::logic_error for an unknown group).
  std::size_t group_offset(const std::string& group) const;
  // Value of gene `index` of `group` in a genome.
  double gene_value(const Genome& genome, const std::string& group, int index) const;

 private:
  Genome parse_compact(const std::string& spec) const;
  Genome parse_dict(const std::string& spec) const;
  int choice_index(const GeneGroup& group, double value, const std::string& what) const;

  std::string name_;
  std::vector<GeneGroup> groups_;
  std::vector<std::size_t> gene_group_;   // gene -> group
  std::vector<std::size_t> group_start_;  // group -> first gene
  std::vector<std::string> ignored_dict_keys_;
  InnerPrecision inner_precision_;
};

// Options shared by the spaces; a space rejects options it does not support.
struct SpaceOptions {
  std::vector<int> resolutions;  // input resolutions to search (empty: the space's default)
  InnerPrecision inner_precision;  // every sub-network deployed at it (not set: 8 bits throughout)
  // For the space named "file" (workloads/network_space.hpp): the network file, and the sizes of an ONNX
  // file's symbolic input dimensions.
  std::string network_file;
  OnnxDims onnx_dims;
};

// The registered space names: ofa-mbv3, ofa-mbv3-w12, ofa-resnet50, vit-b16.
std::vector<std::string> space_names();
// Throws InputError naming the allowed spaces for an unknown name. "file" makes the space of
// options.network_file (workloads/network_space.hpp).
std::unique_ptr<SearchSpace> make_space(const std::string& name, const SpaceOptions& options = {});

}  // namespace cimnet
