#include "accuracy/proxy_source.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

#include "common/error.hpp"
#include "common/text.hpp"

namespace cimnet {

double SaturatingCurve::operator()(double gmacs) const { return a - b * std::pow(gmacs, -c); }

SaturatingCurve fit_saturating(const std::vector<AnchorPoint>& anchors) {
  if (anchors.size() < 3) throw std::invalid_argument("fit_saturating: needs at least three anchor points");
  SaturatingCurve best;
  double best_sse = std::numeric_limits<double>::infinity();
  const double n = static_cast<double>(anchors.size());
  // For a fixed exponent the curve is linear in (a, b): ordinary least squares of top-1 on m^(−c).
  for (int step = 10; step <= 4000; ++step) {
    const double c = 0.001 * step;
    double sz = 0, sy = 0, szz = 0, szy = 0;
    for (const auto& p : anchors) {
      const double z = std::pow(p.gmacs, -c);
      sz += z;
      sy += p.top1;
      szz += z * z;
      szy += z * p.top1;
    }
    const double var = szz - sz * sz / n;
    if (var <= 0) continue;
    const double slope = (szy - sz * sy / n) / var;
    if (slope >= 0) continue;  // b = −slope must be positive: more MACs, more accuracy
    const SaturatingCurve curve{(sy - slope * sz) / n, -slope, c};
    double sse = 0;
    for (const auto& p : anchors) sse += std::pow(curve(p.gmacs) - p.top1, 2);
    if (sse < best_sse) {
      best_sse = sse;
      best = curve;
    }
  }
  if (!std::isfinite(best_sse)) throw std::logic_error("fit_saturating: anchor points do not increase with MACs");
  return best;
}

std::vector<AnchorPoint> proxy_anchors(const std::string& space_name) {
  if (space_name == "ofa-resnet50") {
    // OFA's specialised sub-networks of its ResNet-50 super-network (Cai et al., ICLR 2020; the table
    // "OFA Specialized Sub-nets, ResNet50 Design Space" of the mit-han-lab/once-for-all README). The
    // three smallest were fine-tuned for 25 epochs, the others are taken from the super-network as is.
    const char* ofa = "OFA ResNet50 design space, mit-han-lab/once-for-all";
    return {{0.6, 75.0, ofa}, {0.9, 76.3, ofa}, {1.2, 77.1, ofa}, {1.8, 78.3, ofa},
            {2.4, 79.0, ofa}, {3.0, 79.3, ofa}, {3.7, 79.7, ofa}, {4.1, 79.8, ofa}};
  }
  if (space_name == "vit-b16") {
    // No published accuracies of DyNAS-T's elastic ViT-B/16 sub-networks were found. The shape is the
    // DeiT family's (Touvron et al., ICML 2021: DeiT-Ti/S/B 72.2/79.9/81.8 % at 1.3/4.6/17.6 GMACs,
    // ImageNet-1k, 224 px), shifted down 0.7 points so that the full ViT-B/16 (17.6 GMACs) sits at the
    // 81.1 % assumed for the super-network's largest sub-network. An assumption, documented as such.
    const char* deit = "DeiT family shape, shifted to ViT-B/16 = 81.1 % (assumed)";
    return {{1.3, 72.2 - 0.7, deit}, {4.6, 79.9 - 0.7, deit}, {17.6, 81.1, deit}};
  }
  return {};
}

bool has_proxy(const std::string& space_name) { return !proxy_anchors(space_name).empty(); }

namespace {

std::vector<AnchorPoint> anchors_for(const SearchSpace& space) {
  auto anchors = proxy_anchors(space.name());
  if (anchors.empty()) {
    throw InputError("no accuracy proxy for space '" + space.name() +
                     "' (proxies exist for ofa-resnet50 and vit-b16; ofa-mbv3 has a fitted model)");
  }
  return anchors;
}

}  // namespace

ProxyAccuracySource::ProxyAccuracySource(const SearchSpace& space)
    : AccuracySource(space), anchors_(anchors_for(space)), curve_(fit_saturating(anchors_)) {}

std::string ProxyAccuracySource::label() const {
  return "PROXY top-1 of " + space().name() + " = " + format_number(std::round(curve_.a * 1000) / 1000) + " - " +
         format_number(std::round(curve_.b * 1000) / 1000) + " * GMACs^-" +
         format_number(std::round(curve_.c * 1000) / 1000) + ", fitted to published accuracy-vs-MACs points (" +
         anchors_.front().source + "); not a measurement of these sub-networks";
}

std::vector<double> ProxyAccuracySource::compute(const std::vector<Genome>& canonical) {
  std::vector<double> out;
  out.reserve(canonical.size());
  for (const auto& g : canonical) {
    const double gmacs = static_cast<double>(space().build(g).total_macs()) / 1e9;
    out.push_back(curve_(gmacs));
  }
  return out;
}

}  // namespace cimnet
