// The wizard's words, after Quipt's "Syncing ShipStation Plug-In" guide: its questions (answered
// Yes or No), its names for the choices and its warnings, so an operator who follows the guide
// recognises every screen. guide.test.ts renders each step and checks these exact strings; change
// a wording here and there together.
import type { CarrierFamily } from "../api/types";

export const GUIDE = {
  apiUser: {
    title: "1. Quipt API user",
    create:
      'In Quipt, create a dedicated API user for the connector, named "Company name API" (for example "Acme API"), with the "company API user" role.',
    email: "Give it an e-mail of its own: unique, and not the login e-mail of any person.",
    authorize:
      'Then authorize the connector as that user: log in to Quipt as the API user (not as yourself) and go to Applications → "ShipStation Connector" → Authorize → Start (at the foot of the Review Permissions page).',
    private: "The app never sees the password; the access token is kept in your system keyring.",
  },
  keys: {
    title: "2. ShipStation API keys",
    where: "In ShipStation, open API Settings from your account menu and copy the API Key and the API Secret.",
    v1: "The connector uses ShipStation's v1 API, which needs both; a single v2 key will not work. Both are kept in your system keyring.",
    change: "Change Credentials",
  },
  stores: {
    title: "3. All orders to a single store?",
    yes: "Yes: every order goes to one store. Type its default Store ID or pick it from your ShipStation stores, and give each channel the store NAME its orders carry.",
    no: "No: each channel's orders go to a store of their own, picked from the dropdown beside the channel.",
    noStore:
      "Orders of a channel without a store are held, never guessed. ShipStation has no API to create stores: create a manual store in ShipStation (Settings → Selling Channels → Store Setup → Connect a Store or Marketplace → Manual Orders), then refresh the list.",
    modeChanged:
      "Orders already in ShipStation keep their store: ShipStation sets an order's store only when the order is created. The new choice applies to orders sent from now on.",
  },
  pending: {
    title: "4. Pending Orders?",
    question:
      "Send orders that Quipt still has in validating status to ShipStation? Such orders have not cleared to a shipment ready status yet.",
    yes: 'Yes: they arrive as "awaiting payment" (not shippable) and become "awaiting shipment" when Quipt clears them.',
    no: "No: they are sent once Quipt marks them shipment ready.",
  },
  carrier: {
    title: "5. What is your preferred carrier?",
    options: {
      ups: "UPS – United Parcel Service",
      fedex: "FedEx – Federal Express",
      usps: "USPS – United States Postal Service",
      dhl: "DHL",
    } satisfies Record<CarrierFamily, string>,
    defaultQuestion: "Assign the default carrier to orders that arrive without a carrier/service?",
    defaultAdvice:
      "Yes is highly recommended, or some orders may not automatically get sent to ShipStation for fulfillment.",
    uspsQuestion: "Do you support USPS? (Yes/No)",
    uspsNo:
      "No: an order asking for USPS gets the preferred carrier and its default service, and the change is recorded.",
  },
  cancel: {
    title: "6. Cancel mode",
    question: "What should happen in Quipt when an order is cancelled in ShipStation?",
    soft: 'Soft Cancel, Cancel Shipment: the Quipt order becomes "Cancelled By Warehouse"; its inventory can be reassigned, SKUs substituted, and the order filled another way.',
    hard: "Hard Cancel, Cancel Quantity: the Quipt order is cancelled in full and the buyer refunded; nothing can fill it afterwards.",
    confirm: "I understand: a cancellation in ShipStation will refund the buyer and cannot be undone.",
  },
  warehouses: {
    title: "7. Warehouses",
    rule: "Warehouse code needs to match the warehouse ID from ShipStation.",
    where:
      "ShipStation's warehouse IDs are its Ship From Locations (Settings → Shipping → Ship From Locations). Choose the warehouses to sync; orders of unmatched warehouses are held.",
  },
  review: {
    title: "8. Review and dry run",
  },
} as const;
