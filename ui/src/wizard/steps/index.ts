// The guide's steps in its order (SPEC §1).
import { apiUser } from "./api-user";
import { shipstationKeys } from "./shipstation-keys";
import { stores } from "./stores";
import { pendingOrders } from "./pending-orders";
import { carrier } from "./carrier";
import { cancelMode } from "./cancel-mode";
import { warehouse } from "./warehouse";
import { review } from "./review";
import type { Step } from "../step";

export const STEPS: Step[] = [apiUser, shipstationKeys, stores, pendingOrders, carrier, cancelMode, warehouse, review];
