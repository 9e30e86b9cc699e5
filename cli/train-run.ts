/**
 * What `npm run train` needs from whoever trains: a network the grader's own
 * forward pass can measure, and the history to plot. Two trainers fill it: the
 * student's trainMLP in the sandbox (train-submission.ts, in every repository)
 * and the reference in this process (train-reference.ts, instructor repository only).
 */
import type { Dataset } from '../starter/provided/data/index.js';
import type { Network } from '../grader/evaluate.js';
import type { Hyperparameters } from './args.js';

/** Per-epoch curves; an entry the trainer did not report is an empty array. */
export interface TrainHistory { loss: number[]; batchLoss: number[]; trainAccuracy: number[]; valAccuracy: number[] }

/** A finished run: the network (measured by the grader's forward pass) and its history. */
export interface TrainedNetwork { network: Network; history: TrainHistory }

/** After each epoch: its 0-based number and the history so far. */
export type OnEpoch = (epoch: number, history: Partial<TrainHistory> & { loss: number[] }) => void;

/** Trains the network of `hyper` on `train` (reporting validation accuracy per epoch when it can). */
export type TrainNetwork = (train: Dataset, validation: Dataset | undefined, hyper: Hyperparameters, onEpoch: OnEpoch) => Promise<TrainedNetwork>;
