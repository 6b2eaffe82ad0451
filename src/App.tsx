export function App() {
  return (
    <main>
      <h1>Descent</h1>
      <p>
        Descent is a browser playground for training small neural networks live and comparing optimizers visually. The
        playground is being built: configure a network, train it on the GPU off the main thread, and watch loss curves,
        update-to-weight ratios and optimizer trajectories.
      </p>
    </main>
  );
}
