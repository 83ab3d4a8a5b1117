#include "predict/ridge.hpp"

#include <Eigen/Cholesky>
#include <stdexcept>

namespace cimnet {

RidgeModel fit_ridge(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, double alpha) {
  if (x.rows() != y.size() || x.rows() == 0) throw std::invalid_argument("fit_ridge: empty or mismatched data");
  if (!(alpha >= 0)) throw std::invalid_argument("fit_ridge: negative alpha");
  const Eigen::RowVectorXd mean_x = x.colwise().mean();
  const double mean_y = y.mean();
  const Eigen::MatrixXd xc = x.rowwise() - mean_x;
  const Eigen::VectorXd yc = y.array() - mean_y;
  Eigen::MatrixXd gram = Eigen::MatrixXd::Zero(x.cols(), x.cols());
  gram.selfadjointView<Eigen::Lower>().rankUpdate(xc.transpose());
  gram.diagonal().array() += alpha;
  RidgeModel m;
  m.alpha = alpha;
  m.weights = gram.selfadjointView<Eigen::Lower>().ldlt().solve(xc.transpose() * yc);
  m.intercept = mean_y - mean_x.dot(m.weights);
  return m;
}

Eigen::VectorXd RidgeModel::predict(const Eigen::MatrixXd& x) const {
  if (x.cols() != weights.size()) throw std::invalid_argument("RidgeModel::predict: wrong feature count");
  return (x * weights).array() + intercept;
}

}  // namespace cimnet
