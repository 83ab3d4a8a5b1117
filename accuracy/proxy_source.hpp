#pragma once
// A PROXY of top-1 accuracy for spaces without measured data (OFA-ResNet-50, ViT-B/16): a saturating
// curve of top-1 against MACs, fitted to published accuracy-versus-MACs points.
//
//   top1(m) = a − b · m^(−c)        m in GMACs (cimnet's count of the sub-network), b, c > 0
//
// Monotone increasing in MACs and saturating at a: bigger sub-networks of one super-network are
// better, with diminishing returns — the trend the published points show. It knows nothing else: two
// sub-networks with the same MACs get the same value whatever their shape, so it can steer a search
// along the accuracy–cost trade-off but cannot rank architectures of equal cost. Every output that uses
// it must say so: is_proxy() is true and label() starts with "PROXY". Anchor points, their sources and
// the assumptions: docs/predictors.md and data/accuracy/README.md.
#include <string>
#include <vector>

#include "accuracy/accuracy_source.hpp"

namespace cimnet {

struct AnchorPoint {
  double gmacs;
  double top1;
  const char* source;  // where the point is published
};

// The saturating curve; fit_saturating() finds a, b, c by least squares (c on a fine grid, a and b in
// closed form for each c, b > 0 enforced).
struct SaturatingCurve {
  double a = 0, b = 0, c = 1;
  double operator()(double gmacs) const;
};
SaturatingCurve fit_saturating(const std::vector<AnchorPoint>& anchors);

// The published points a space's proxy is fitted to; empty when the space has no proxy.
std::vector<AnchorPoint> proxy_anchors(const std::string& space_name);
bool has_proxy(const std::string& space_name);

class ProxyAccuracySource : public AccuracySource {
 public:
  // InputError naming the spaces that have a proxy when `space` has none.
  explicit ProxyAccuracySource(const SearchSpace& space);

  bool is_proxy() const override { return true; }
  std::string label() const override;
  const SaturatingCurve& curve() const { return curve_; }

 protected:
  std::vector<double> compute(const std::vector<Genome>& canonical) override;

 private:
  std::vector<AnchorPoint> anchors_;
  SaturatingCurve curve_;
};

}  // namespace cimnet
